namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// One worker count's line of a benchmark: the median of its runs, and how it compares with the
/// baseline (the first worker count). Efficiency is speedup per worker: 1.0 is perfect scaling.
/// </summary>
public sealed record SpeedupRow(int Workers, double MedianSeconds, double MinSeconds, double MaxSeconds, double PortsPerSecond, double Speedup, double Efficiency)
{
    public static IReadOnlyList<SpeedupRow> From(IEnumerable<Trial> trials)
    {
        var groups = trials.GroupBy(t => t.Workers).ToList();
        var rows = new List<SpeedupRow>();
        double? baseline = null;
        int? baselineWorkers = null;
        foreach (var group in groups)
        {
            var seconds = group.Select(t => t.Seconds).Order().ToList();
            var median = Median(seconds);
            baseline ??= median;
            baselineWorkers ??= group.Key;
            var speedup = median > 0 ? baseline.Value / median : 0;
            var ports = group.First().Result.Summary.Scanned;
            // Efficiency relative to the baseline's worker count, so a table that starts at 2 workers still reads right.
            var efficiency = speedup / ((double)group.Key / baselineWorkers.Value);
            rows.Add(new SpeedupRow(group.Key, median, seconds[0], seconds[^1], median > 0 ? ports / median : 0, speedup, efficiency));
        }
        return rows;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
