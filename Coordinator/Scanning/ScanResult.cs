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
        _runs = Runs(slices);
        Summary = ScanSummary.Of(slices);
        var timedOut = slices.SelectMany(s => s.TimedOutHosts).ToHashSet();
        Hosts = [.. request.Targets.Select((target, index) => new HostResult(this, target, index, timedOut.Contains(index)))];
    }

    /// <summary>
    /// The scan of the hosts discovery found up (<paramref name="live"/>, null when none was), as a
    /// result over every target of <paramref name="all"/>: a host found down is in it with every port
    /// unscanned for that reason, and the time discovery took is part of the scan's.
    /// </summary>
    /// <para>A ping sweep (-sn, <paramref name="live"/> null) has every host with its status alone, and no port.</para>
    public ScanResult(ScanRequest all, DiscoveryResult discovery, DateTimeOffset startedAt, ScanResult? live, bool pingSweep = false)
    {
        PingSweep = pingSweep;
        Request = all;
        Discovery = discovery;
        StartedAt = startedAt;
        Elapsed = discovery.Elapsed + (live?.Elapsed ?? TimeSpan.Zero);
        Interrupted = discovery.Interrupted || live?.Interrupted == true;
        Slices = live?.Slices ?? [];
        _bounds = [.. Slices.Select(s => s.Slice.Bounds)];
        _runs = Runs(Slices);
        _discoveryComplete = discovery.Complete;
        // The live scan's hosts are those found up, in the same order: one walk pairs them, without a dictionary of them all.
        var liveHosts = live?.Hosts ?? [];
        var next = 0;
        var hosts = new HostResult[all.Targets.Count];
        for (var i = 0; i < hosts.Length; i++)
        {
            hosts[i] = next < liveHosts.Count && liveHosts[next].Target == all.Targets[i]
                ? liveHosts[next++].Discovered(discovery.Hosts[i])
                : HostResult.Unscanned(this, all.Targets[i], discovery.Hosts[i]);
        }
        Hosts = hosts;
        Summary = Hosts.Aggregate(new ScanSummary(0, 0, 0, 0, 0), (sum, host) => sum + host.Summary);
    }

    private readonly SliceBounds[] _bounds;

    // Every worker process of the scan, each once, in the order of the slices' attempts: where a host's timing is looked up.
    private readonly WorkerRun[] _runs;
    private readonly bool _discoveryComplete = true;

    /// <summary>-sn: host discovery alone, no port scanned; the reports list the hosts and their status.</summary>
    public bool PingSweep { get; }

    /// <summary>Host discovery's findings; null when every target was scanned without it (-Pn, or a single host).</summary>
    public DiscoveryResult? Discovery { get; }

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
    public bool Complete => !Interrupted && _discoveryComplete && Slices.All(s => s.Pending == 0);

    public double PortsPerSecond => Elapsed.TotalSeconds > 0 ? Summary.Scanned / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// What the network did to host <paramref name="host"/> (by index in this scan), pooled from the
    /// latest timing of each process that sent one; null when none did. Made when a report asks, not kept a host.
    /// </summary>
    internal HostNetwork? NetworkOf(int host)
    {
        List<TimingFigures>? timings = null;
        foreach (var run in _runs)
        {
            if (run.Timings.TryGetValue(host, out var timing))
            {
                (timings ??= []).Add(timing);
            }
        }
        return timings is null ? null : HostNetwork.Of(timings);
    }

    /// <summary>A process's timings run on over the chunks it does under the dynamic schedule: each process once.</summary>
    private static WorkerRun[] Runs(IEnumerable<SliceTracker> slices) => [.. slices.SelectMany(s => s.Attempts).Select(a => a.Run).Distinct()];

    /// <summary>The index of the slice that holds a position of the work list.</summary>
    internal int SliceAt(int position) => SlicePlanner.SliceOf(_bounds, position);
}
