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
        Summary = ScanSummary.Of(slices);
        var networks = HostNetwork.ByHost(slices);
        Hosts = [.. request.Targets.Select((target, index) => new HostResult(this, target, index, networks.GetValueOrDefault(index)))];
    }

    public ScanRequest Request { get; }
    public DateTimeOffset StartedAt { get; }
    public TimeSpan Elapsed { get; }
    public bool Interrupted { get; }
    public IReadOnlyList<SliceTracker> Slices { get; }
    public ScanSummary Summary { get; }

    /// <summary>One entry a host, in scan order.</summary>
    public IReadOnlyList<HostResult> Hosts { get; }

    public bool Complete => !Interrupted && Summary.Unscanned == 0;

    public double PortsPerSecond => Elapsed.TotalSeconds > 0 ? Summary.Scanned / Elapsed.TotalSeconds : 0;

    /// <summary>The index of the slice that holds a position of the work list (slices are in position order).</summary>
    internal int SliceAt(int position)
    {
        int low = 0, high = Slices.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Slices[middle].Slice.Bounds.Start <= position)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }
}
