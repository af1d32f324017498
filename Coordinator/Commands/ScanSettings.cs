using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Commands;

public enum ReportFormat
{
    Text,
    Json,
}

/// <summary>What the user asked <c>portscan scan</c> for, validated, before the target is resolved.</summary>
public sealed record ScanSettings(
    string Target,
    PortRange Ports,
    int Workers,
    TimeSpan Timeout,
    int Concurrency,
    ReportFormat Format,
    string? OutputPath,
    bool ShowClosed,
    bool Verbose);
