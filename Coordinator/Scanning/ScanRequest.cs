using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>Everything a scan needs, already validated: the coordinator does no parsing.</summary>
/// <param name="Targets">Distinct hosts, in scan order.</param>
/// <param name="MaxRetries">Replacement workers a slice may have after its first worker fails.</param>
/// <param name="MaxRate">Attempts a second across all workers (--max-rate); 0 for no limit.</param>
/// <param name="BannerWait">How long to wait for each open TCP port's banner; zero for no banners.</param>
public sealed record ScanRequest(
    IReadOnlyList<ResolvedTarget> Targets,
    PortSelection Ports,
    int Workers,
    TimeSpan Timeout,
    int Concurrency,
    int MaxRetries,
    double MaxRate = 0,
    TimeSpan BannerWait = default)
{
    /// <summary>
    /// Each worker's share of <see cref="MaxRate"/>: slices are equal to within one port, so equal
    /// shares finish together and the scan as a whole runs at the rate asked for.
    /// </summary>
    public double WorkerRate => MaxRate > 0 ? MaxRate / Workers : 0;

    /// <summary>Hosts × ports, the positions the slices are cut from.</summary>
    public WorkList Work { get; } = new([.. Targets.Select(t => t.Address)], Ports);
}
