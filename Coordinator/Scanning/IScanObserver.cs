using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>Hears about a scan while it runs (live output, progress); the coordinator itself prints nothing.</summary>
public interface IScanObserver
{
    void WorkerStarted(WorkerAttempt attempt)
    {
    }

    void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
    }

    /// <summary>-sV: what version detection found of an open port reported before, as <paramref name="port"/>'s <see cref="PortResult.Service"/>.</summary>
    void ServiceFound(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
    }

    /// <summary>Host discovery: a worker found <paramref name="host"/> up (with why and how fast) or down.</summary>
    void HostFound(ResolvedTarget host, bool up, PortReason reason, double? rttMs)
    {
    }

    void WorkerExited(WorkerAttempt attempt)
    {
    }

    /// <summary>Where the scan stands, four times a second.</summary>
    void Progressed(ScanProgress progress)
    {
    }
}

/// <summary>For output that is written only once the scan is over (JSON on stdout).</summary>
public sealed class SilentObserver : IScanObserver;
