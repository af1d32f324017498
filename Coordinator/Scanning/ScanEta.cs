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
            if (Left(slice) is not { } left)
            {
                return null;
            }
            longest = left > longest ? left : longest;
        }
        return longest;
    }

    /// <summary>
    /// Under the dynamic schedule, <paramref name="queued"/> host-ports wait in chunks no worker has
    /// yet: the <paramref name="lanes"/> workers share them, at the pace the scan has kept so far
    /// (<paramref name="elapsed"/>), after the work they have in hand.
    /// </summary>
    public static TimeSpan? Of(IReadOnlyList<SliceProgress> slices, int queued, int lanes, TimeSpan elapsed)
    {
        if (queued == 0)
        {
            return Of(slices);
        }
        var finished = slices.Sum(s => s.Finished);
        if (finished == 0 || elapsed <= TimeSpan.Zero || lanes < 1)
        {
            return null;
        }
        var longest = TimeSpan.Zero;
        var inHand = TimeSpan.Zero;
        foreach (var slice in slices)
        {
            if (Left(slice) is not { } left)
            {
                return null;
            }
            longest = left > longest ? left : longest;
            inHand += left;
        }
        var evenedOut = (inHand / lanes) + (elapsed * ((double)queued / finished));
        return evenedOut > longest ? evenedOut : longest;
    }

    /// <summary>What one slice still needs; null when it cannot say yet.</summary>
    private static TimeSpan? Left(SliceProgress slice)
    {
        if (!slice.Running || slice.Left == 0)
        {
            return TimeSpan.Zero;
        }
        if (slice.Estimate is { } estimate)
        {
            return estimate > slice.EstimateAge ? estimate - slice.EstimateAge : TimeSpan.Zero;
        }
        return slice.Finished > 0 && slice.Elapsed > TimeSpan.Zero ? slice.Elapsed * ((double)slice.Left / slice.Finished) : null;
    }
}
