namespace PortScan.Coordinator.Scanning;

/// <summary>
/// One slice as the ETA sees it: the host-ports it has left, and its worker's latest estimate of
/// the time they need (sent in its heartbeat every second) with how long ago that came.
/// </summary>
/// <param name="Running">False when no worker is at it, nor will be (done, or out of restarts).</param>
/// <param name="Elapsed">How long the slice has been scanned, for the fallback when its worker gives no estimate.</param>
public readonly record struct SliceProgress(bool Running, int Left, int Finished, TimeSpan Elapsed, TimeSpan? Estimate, TimeSpan EstimateAge);

/// <summary>
/// The time a scan still needs. The scan ends when its slowest slice ends, so it is the longest of
/// the slices' times. A slice's time is what its worker last said its work left would take (it
/// knows the timeouts in flight, the tries it still owes, its share of --max-rate and its pace to
/// the host: docs/design.md, "Progress"), less the time since. A worker that has given no
/// estimate (one just started, or scanning UDP) is taken at the slice's own pace so far.
/// </summary>
public static class ScanEta
{
    /// <summary>Null when some running slice can say nothing yet: no estimate and nothing finished.</summary>
    public static TimeSpan? Of(IEnumerable<SliceProgress> slices)
    {
        var longest = TimeSpan.Zero;
        foreach (var slice in slices)
        {
            if (!slice.Running || slice.Left == 0)
            {
                continue;
            }
            TimeSpan left;
            if (slice.Estimate is { } estimate)
            {
                left = estimate > slice.EstimateAge ? estimate - slice.EstimateAge : TimeSpan.Zero;
            }
            else if (slice.Finished > 0 && slice.Elapsed > TimeSpan.Zero)
            {
                left = slice.Elapsed * ((double)slice.Left / slice.Finished);
            }
            else
            {
                return null;
            }
            longest = left > longest ? left : longest;
        }
        return longest;
    }
}
