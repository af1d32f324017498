using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>Everything a scan needs, already validated: the coordinator does no parsing.</summary>
/// <param name="Targets">Distinct hosts, in scan order.</param>
/// <param name="Probes">How workers probe, with the scan-wide --max-rate (attempts a second across all workers; 0 for no limit).</param>
/// <param name="MaxWorkerRestarts">Replacement workers a slice may have after its first worker fails.</param>
/// <param name="Version">-sV: each worker probes its open ports for their services; null for none.</param>
/// <param name="Schedule">How the positions are dealt to the workers.</param>
/// <param name="Resumed">Results a journal holds from an earlier run of this scan (<c>portscan resume</c>): recorded before any worker starts, and not scanned again.</param>
/// <param name="Discover">Host discovery: the ports are the discovery probes', and each worker reports each host up or down (<see cref="HostDiscovery"/>).</param>
public sealed record ScanRequest(
    IReadOnlyList<ResolvedTarget> Targets,
    PortSelection Ports,
    int Workers,
    ProbeSettings Probes,
    int MaxWorkerRestarts,
    Schedule Schedule,
    VersionDetection? Version = null,
    PriorResults? Resumed = null,
    bool Discover = false)
{
    /// <summary>
    /// What each worker is given: the probe settings with its share of the scan's --max-rate and
    /// --min-rate. Slices are equal to within one port, so equal shares finish together and the scan
    /// as a whole runs at the rates asked for.
    /// </summary>
    public ProbeSettings WorkerProbes => Probes with { MaxRate = Probes.MaxRate / Processes, MinRate = Probes.MinRate / Processes };

    /// <summary>Hosts × ports, the positions the slices are cut from.</summary>
    public WorkList Work { get; } = new([.. Targets.Select(t => t.Address)], Ports);

    /// <summary>Worker processes running at once: one a slice, or under the dynamic schedule one a lane (fewer when there are fewer chunks).</summary>
    public int Processes => SlicePlanner.Workers(Work.Count, Workers, Schedule);
}
