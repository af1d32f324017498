using PortScan.Shared.Ports;

namespace PortScan.Shared.Slicing;

/// <summary>
/// The classic start/end-per-worker arithmetic: every worker gets <c>total / workers</c>
/// contiguous ports and the last one also takes the remainder. Contiguous slices keep the
/// protocol and the failure bookkeeping simple: a slice is two numbers.
/// </summary>
public static class SlicePlanner
{
    public static IReadOnlyList<Slice> Plan(PortRange range, int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker is needed");
        }
        var total = range.Count;
        // More workers than ports would give empty slices: clamp, as the original design does.
        var count = Math.Min(workers, total);
        var per = total / count;
        var slices = new Slice[count];
        for (var i = 0; i < count; i++)
        {
            var start = range.Start + (i * per);
            var end = i == count - 1 ? range.End : start + per - 1;
            slices[i] = new Slice(i, new PortRange(start, end));
        }
        return slices;
    }
}
