using PortScan.Shared.Ports;

namespace PortScan.Shared.Slicing;

/// <summary>
/// The classic start/end-per-worker arithmetic: every worker gets <c>total / workers</c>
/// contiguous ports and the last one also takes the remainder. The arithmetic runs over the
/// positions of the requested ports in ascending order, so <c>-p 22,80,443,8000-8100</c> splits the
/// same way as a range: a slice is a contiguous run of the list.
/// </summary>
public static class SlicePlanner
{
    public static IReadOnlyList<Slice> Plan(PortSet ports, int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker is needed");
        }
        if (ports.IsEmpty)
        {
            throw new ArgumentException("there are no ports to plan", nameof(ports));
        }
        var total = ports.Count;
        // More workers than ports would give empty slices: clamp, as the original design does.
        var count = Math.Min(workers, total);
        var per = total / count;
        var slices = new Slice[count];
        for (var i = 0; i < count; i++)
        {
            var start = i * per;
            var end = i == count - 1 ? total - 1 : start + per - 1;
            slices[i] = new Slice(i, ports.Take(start, end - start + 1));
        }
        return slices;
    }
}
