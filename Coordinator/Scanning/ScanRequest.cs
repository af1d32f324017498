using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>Everything a scan needs, already validated: the coordinator does no parsing.</summary>
/// <param name="MaxRetries">Replacement workers a slice may have after its first worker fails.</param>
public sealed record ScanRequest(ResolvedTarget Target, PortSet Ports, int Workers, TimeSpan Timeout, int Concurrency, int MaxRetries);
