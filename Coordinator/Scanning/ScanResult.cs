using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>What a finished (or interrupted) scan knows; every output format is written from this.</summary>
public sealed class ScanResult(ScanRequest request, DateTimeOffset startedAt, TimeSpan elapsed, bool interrupted, IReadOnlyList<SliceTracker> slices)
{
    public ScanRequest Request { get; } = request;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public TimeSpan Elapsed { get; } = elapsed;
    public bool Interrupted { get; } = interrupted;
    public IReadOnlyList<SliceTracker> Slices { get; } = slices;
    public ScanSummary Summary { get; } = ScanSummary.Of(slices);

    public bool Complete => !Interrupted && Summary.Unscanned == 0;

    public double PortsPerSecond => Elapsed.TotalSeconds > 0 ? Summary.Scanned / Elapsed.TotalSeconds : 0;

    /// <summary>Ports in ascending order with their state; closed, filtered and unscanned ones only when asked.</summary>
    public IEnumerable<(int Port, PortState State, double? RttMs)> Ports(bool includeNotOpen)
    {
        foreach (var slice in Slices)
        {
            foreach (var port in slice.Slice.Ports.Ports())
            {
                var state = slice.StateOf(port);
                if (includeNotOpen || state == PortState.Open)
                {
                    yield return (port, state, slice.RttOf(port));
                }
            }
        }
    }
}
