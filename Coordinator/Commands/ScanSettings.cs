using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Commands;

public enum ReportFormat
{
    Text,
    Json,
}

/// <summary>What the user asked <c>portscan scan</c> for, validated, before the target is resolved.</summary>
/// <param name="WorkerPath">A stand-in for portscan-worker (hidden option, for tests of misbehaving workers); null for the real one.</param>
public sealed record ScanSettings(
    string Target,
    PortSet Ports,
    int Workers,
    TimeSpan Timeout,
    int Concurrency,
    int MaxRetries,
    string? WorkerPath,
    ReportFormat Format,
    string? OutputPath,
    bool ShowClosed,
    bool Verbose);
