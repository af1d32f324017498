using PortScan.Shared.Work;

namespace PortScan.Shared.Slicing;

/// <summary>
/// The classic start/end-per-worker arithmetic: every worker gets <c>total / workers</c>
/// contiguous positions and the last one also takes the remainder. The positions are those of a
/// <see cref="WorkList"/>, hosts × ports in order, so <c>-p 22,80,443,8000-8100</c> splits the
/// same way as a range, and several hosts split as one long list: a slice is a contiguous run.
/// The cyclic schedule deals the same positions round-robin instead, and the dynamic schedule cuts
/// them into chunks that workers take one after the other (<see cref="ScheduleKind"/>).
/// </summary>
public static class SlicePlanner
{
    /// <summary>
    /// The slices of a block or cyclic schedule, one a worker; for a dynamic one, its chunks in the
    /// order they are handed out (a chunk's <see cref="SliceBounds.Worker"/> is its number).
    /// </summary>
    public static IReadOnlyList<SliceBounds> Plan(int total, int workers, Schedule? schedule = null)
    {
        schedule ??= Schedule.Block;
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
        if (schedule.Kind == ScheduleKind.Dynamic)
        {
            var chunk = schedule.ChunkFor(total, count);
            var chunks = Chunks(total, workers, schedule);
            if (chunks > Schedule.MaxChunks)
            {
                throw new ArgumentOutOfRangeException(nameof(schedule), chunk, $"chunks of {chunk} make {chunks} chunks, more than {Schedule.MaxChunks}");
            }
            return [.. Enumerable.Range(0, chunks).Select(i => new SliceBounds(i, i * chunk, Math.Min(chunk, total - (i * chunk))))];
        }
        if (schedule.Kind == ScheduleKind.Cyclic)
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

    public static IReadOnlyList<Slice> Plan(WorkList work, int workers, Schedule? schedule = null) =>
        [.. Plan(work.Count, workers, schedule).Select(bounds => new Slice(bounds,
            bounds.Stride == 1 ? work.Take(bounds.Start, bounds.Count) : work.Select(bounds.Positions())))];

    /// <summary>How many workers a schedule starts: one a slice, or for a dynamic schedule one a chunk up to <paramref name="workers"/>.</summary>
    public static int Workers(int total, int workers, Schedule schedule) =>
        schedule.Kind == ScheduleKind.Dynamic ? Math.Min(Math.Min(workers, total), Chunks(total, workers, schedule)) : Math.Min(workers, total);

    /// <summary>How many chunks a dynamic schedule cuts <paramref name="total"/> positions into.</summary>
    public static int Chunks(int total, int workers, Schedule schedule)
    {
        var chunk = schedule.ChunkFor(total, Math.Min(workers, total));
        return (int)(((long)total + chunk - 1) / chunk);
    }

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
