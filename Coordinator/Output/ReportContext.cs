using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Output;

/// <summary>What every report format is written from: the result, and how the user asked for it.</summary>
/// <param name="Shown">Which ports are listed (<c>--show-closed</c>, <c>--open</c>).</param>
/// <param name="Reasons"><c>--reason</c>: the text report's REASON column (the other formats always carry reasons).</param>
/// <param name="CommandLine">The command as typed, for nmap's "as:" comment and XML <c>args</c>.</param>
public sealed record ReportContext(ScanResult Result, ServiceNames Services, ShownPorts Shown, bool Reasons, string CommandLine)
{
    /// <summary>nmap's opening line, without its comment marker: "portscan 0.1.0 scan initiated … as: portscan scan …".</summary>
    public string Initiated => $"portscan {ProductVersion.Current} scan initiated {NmapDates.Format(Result.StartedAt)} as: {CommandLine}";

    public DateTimeOffset FinishedAt => Result.StartedAt + Result.Elapsed;
}
