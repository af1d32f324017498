using System.Globalization;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// Where a run's wall time went, averaged over its workers so that the parts add up to the wall:
/// serial start-up (coordinator and process start until a worker's hello), useful work (hello to
/// exit), imbalance (how much later the last worker finished than the average one: max − mean of
/// the finish times, which is max − mean of the busy times when start-ups are equal) and wind-down
/// (the coordinator after the last worker exited).
/// </summary>
public sealed record RunTimeDecomposition(TimeSpan Wall, TimeSpan StartUp, TimeSpan Useful, TimeSpan Imbalance, TimeSpan WindDown)
{
    public static RunTimeDecomposition Of(WorkerTimeline timeline)
    {
        var lanes = timeline.Lanes;
        var startUp = Mean(lanes.Select(l => l.StartUp));
        var useful = Mean(lanes.Select(l => l.Busy));
        var lastFinish = lanes.Max(l => l.Finished);
        var imbalance = lastFinish - Mean(lanes.Select(l => l.Finished));
        return new RunTimeDecomposition(timeline.Wall, startUp, useful, imbalance, timeline.Wall - lastFinish);
    }

    /// <summary>One line that fits 80 columns: "2.05 s = 0.12 start-up + 1.47 work + 0.54 imbalance + 0.05 wind-down".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Wall.TotalSeconds:0.00} s = {StartUp.TotalSeconds:0.00} start-up + {Useful.TotalSeconds:0.00} work + {Imbalance.TotalSeconds:0.00} imbalance + {WindDown.TotalSeconds:0.00} wind-down");

    private static TimeSpan Mean(IEnumerable<TimeSpan> spans) => TimeSpan.FromTicks((long)spans.Average(s => s.Ticks));
}
