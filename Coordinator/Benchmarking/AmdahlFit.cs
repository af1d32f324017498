namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// Amdahl's law fitted to a benchmark: with a serial fraction s of the baseline's time, n workers
/// (relative to the baseline's b) take T(n) = T(b)·(s + (1 − s)·b/n). The s that best explains
/// the medians is the least-squares solution on the times relative to T(b), which has a closed
/// form because the model is linear in s: with x = 1 − b/n and y = T(n)/T(b) − b/n, s = Σxy / Σx².
/// </summary>
public sealed record AmdahlFit(int BaselineWorkers, double SerialFraction)
{
    /// <summary>The fit, or null when the runs cannot decide it (a single worker count).</summary>
    public static AmdahlFit? Of(IReadOnlyList<SpeedupRow> rows)
    {
        var baseline = rows[0];
        double sxy = 0, sxx = 0;
        foreach (var row in rows.Skip(1))
        {
            var share = (double)baseline.Workers / row.Workers;
            var x = 1 - share;
            var y = (row.MedianSeconds / baseline.MedianSeconds) - share;
            sxy += x * y;
            sxx += x * x;
        }
        // Outside [0, 1] the law has no meaning (slower with more workers reads as s = 1).
        return sxx > 0 && baseline.MedianSeconds > 0 ? new AmdahlFit(baseline.Workers, Math.Clamp(sxy / sxx, 0, 1)) : null;
    }

    /// <summary>The speedup over the baseline that the fitted law predicts for so many workers.</summary>
    public double PredictedSpeedup(int workers) => 1 / (SerialFraction + ((1 - SerialFraction) * BaselineWorkers / workers));

    /// <summary>The most any number of workers could gain: 1/s.</summary>
    public double Limit => SerialFraction > 0 ? 1 / SerialFraction : double.PositiveInfinity;
}
