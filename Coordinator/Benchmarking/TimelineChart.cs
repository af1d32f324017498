using System.Globalization;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// A run's timeline as text, one line a worker, scaled to the width: ' ' before the coordinator
/// launched it, '░' while the process started (until its hello), '█' while it scanned, '·' idle
/// until the last worker finished. Each cell shows the state at its middle.
/// </summary>
public static class TimelineChart
{
    public const string Legend = "░ start-up   █ scanning   · idle until the last worker finishes";
    private const int MinimumCells = 10;
    private const int WidestUseful = 100;

    public static IReadOnlyList<string> Lines(WorkerTimeline timeline, int width)
    {
        var label = timeline.Lanes.Max(l => Label(l).Length);
        var cells = Math.Max(MinimumCells, Math.Min(width, WidestUseful) - label - 1 - 2 - " 00.00 s".Length);
        var cell = timeline.Wall / cells;
        return [.. timeline.Lanes.Select(lane =>
        {
            var bar = string.Concat(Enumerable.Range(0, cells).Select(i => State(lane, cell * (i + 0.5))));
            return string.Create(CultureInfo.InvariantCulture, $"{Label(lane).PadRight(label)} │{bar}│ {lane.Finished.TotalSeconds:0.00} s");
        })];
    }

    private static string Label(TimelineLane lane) => $"worker {lane.Worker}";

    private static char State(TimelineLane lane, TimeSpan at) =>
        at < lane.Launched ? ' ' : at < lane.Greeted ? '░' : at < lane.Finished ? '█' : '·';
}
