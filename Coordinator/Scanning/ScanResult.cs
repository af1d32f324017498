using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Scanning;

/// <summary>What a finished (or interrupted) scan knows; every output format is written from this.</summary>
public sealed class ScanResult
{
    public ScanResult(ScanRequest request, DateTimeOffset startedAt, TimeSpan elapsed, bool interrupted, IReadOnlyList<SliceTracker> slices)
    {
        Request = request;
        StartedAt = startedAt;
        Elapsed = elapsed;
        Interrupted = interrupted;
        Slices = slices;
        _bounds = [.. slices.Select(s => s.Slice.Bounds)];
        Summary = ScanSummary.Of(slices);
        var networks = HostNetwork.ByHost(slices);
        var timedOut = slices.SelectMany(s => s.TimedOutHosts).ToHashSet();
        Hosts = [.. request.Targets.Select((target, index) => new HostResult(this, target, index, networks.GetValueOrDefault(index), timedOut.Contains(index)))];
    }

    private readonly SliceBounds[] _bounds;

    public ScanRequest Request { get; }
    public DateTimeOffset StartedAt { get; }
    public TimeSpan Elapsed { get; }
    public bool Interrupted { get; }
    public IReadOnlyList<SliceTracker> Slices { get; }
    public ScanSummary Summary { get; }

    /// <summary>Worker processes that ran at once: a slice's each, or the dynamic schedule's lanes.</summary>
    public int Workers => Request.Processes;

    /// <summary>One entry a host, in scan order.</summary>
    public IReadOnlyList<HostResult> Hosts { get; }

    /// <summary>
    /// Every port has a state, or is unscanned because --host-timeout gave its host up, as the user
    /// asked: nothing was lost to a failure or a stop.
    /// </summary>
    public bool Complete => !Interrupted && Slices.All(s => s.Pending == 0);

    public double PortsPerSecond => Elapsed.TotalSeconds > 0 ? Summary.Scanned / Elapsed.TotalSeconds : 0;

    /// <summary>The index of the slice that holds a position of the work list.</summary>
    internal int SliceAt(int position) => SlicePlanner.SliceOf(_bounds, position);
}
