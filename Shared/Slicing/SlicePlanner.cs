using PortScan.Shared.Work;

namespace PortScan.Shared.Slicing;

/// <summary>
/// The classic start/end-per-worker arithmetic: every worker gets <c>total / workers</c>
/// contiguous positions and the last one also takes the remainder. The positions are those of a
/// <see cref="WorkList"/>, hosts × ports in order, so <c>-p 22,80,443,8000-8100</c> splits the
/// same way as a range, and several hosts split as one long list: a slice is a contiguous run.
/// </summary>
public static class SlicePlanner
{
    public static IReadOnlyList<SliceBounds> Plan(int total, int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker is needed");
        }
        if (total < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "there is nothing to plan");
        }
        // More workers than positions would give empty slices: clamp, as the original design does.
        var count = Math.Min(workers, total);
        var per = total / count;
        var slices = new SliceBounds[count];
        for (var i = 0; i < count; i++)
        {
            var start = i * per;
            var end = i == count - 1 ? total - 1 : start + per - 1;
            slices[i] = new SliceBounds(i, start, end - start + 1);
        }
        return slices;
    }

    public static IReadOnlyList<Slice> Plan(WorkList work, int workers) =>
        [.. Plan(work.Count, workers).Select(bounds => new Slice(bounds, work.Take(bounds.Start, bounds.Count)))];
}
