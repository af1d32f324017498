using PortScan.Shared.Work;

namespace PortScan.Shared.Slicing;

/// <summary>
/// The classic start/end-per-worker arithmetic: every worker gets <c>total / workers</c>
/// contiguous positions and the last one also takes the remainder. The positions are those of a
/// <see cref="WorkList"/>, hosts × ports in order, so <c>-p 22,80,443,8000-8100</c> splits the
/// same way as a range, and several hosts split as one long list: a slice is a contiguous run.
/// The cyclic schedule deals the same positions round-robin instead (<see cref="Schedule"/>).
/// </summary>
public static class SlicePlanner
{
    public static IReadOnlyList<SliceBounds> Plan(int total, int workers, Schedule schedule = Schedule.Block)
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
        if (schedule == Schedule.Cyclic)
        {
            // Worker i: i, i + W, i + 2W, … below total; the first total mod W workers get one more.
            return [.. Enumerable.Range(0, count).Select(i => new SliceBounds(i, i, ((total - i - 1) / count) + 1, count))];
        }
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

    public static IReadOnlyList<Slice> Plan(WorkList work, int workers, Schedule schedule = Schedule.Block) =>
        [.. Plan(work.Count, workers, schedule).Select(bounds => new Slice(bounds,
            bounds.Stride == 1 ? work.Take(bounds.Start, bounds.Count) : work.Select(bounds.Positions())))];

    /// <summary>The index of the slice of <paramref name="slices"/> (as planned) that holds <paramref name="position"/>.</summary>
    public static int SliceOf(IReadOnlyList<SliceBounds> slices, int position)
    {
        if (slices[0].Stride > 1)
        {
            return position % slices[0].Stride;
        }
        int low = 0, high = slices.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (slices[middle].Start <= position)
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
