using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>Everything a scan needs, already validated: the coordinator does no parsing.</summary>
/// <param name="Targets">Distinct hosts, in scan order.</param>
/// <param name="MaxRetries">Replacement workers a slice may have after its first worker fails.</param>
public sealed record ScanRequest(IReadOnlyList<ResolvedTarget> Targets, PortSet Ports, int Workers, TimeSpan Timeout, int Concurrency, int MaxRetries)
{
    /// <summary>Hosts × ports, the positions the slices are cut from.</summary>
    public WorkList Work { get; } = new([.. Targets.Select(t => t.Address)], Ports);
}
