using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Output;

/// <summary>What every report format is written from: the result, and how the user asked for it.</summary>
/// <param name="CommandLine">The command as typed, for nmap's "as:" comment and XML <c>args</c>.</param>
public sealed record ReportContext(ScanResult Result, ServiceNames Services, bool ShowClosed, string CommandLine);
