namespace PortScan.Worker.Timing;

/// <summary>
/// RFC 6298's smoothed round-trip time and its mean deviation, from the answers of one host, in
/// Stopwatch ticks. Every probe is a fresh socket, so every answer is an unambiguous sample
/// (Karn's problem of retransmitted segments does not arise).
/// </summary>
internal sealed class RttEstimator
{
    public int Samples { get; private set; }

    public double SmoothedTicks { get; private set; }

    public double VarianceTicks { get; private set; }

    /// <summary>True while the estimate is another worker's (a hint), until this worker's first own answer replaces it.</summary>
    public bool Seeded { get; private set; }

    public void Seed(double smoothedTicks, double varianceTicks)
    {
        (SmoothedTicks, VarianceTicks, Seeded) = (smoothedTicks, varianceTicks, true);
    }

    public void Add(long ticks)
    {
        Samples++;
        Seeded = false;
        if (Samples == 1)
        {
            SmoothedTicks = ticks;
            VarianceTicks = ticks / 2.0;
            return;
        }
        VarianceTicks = (0.75 * VarianceTicks) + (0.25 * Math.Abs(SmoothedTicks - ticks));
        SmoothedTicks = (0.875 * SmoothedTicks) + (0.125 * ticks);
    }

    /// <summary>srtt + 4·rttvar, clamped to [min, max]; <paramref name="initial"/> before the first answer.</summary>
    public long TimeoutTicks(long min, long max, long initial) =>
        Samples == 0 && !Seeded ? initial : Math.Clamp((long)(SmoothedTicks + (4 * VarianceTicks)), min, max);
}
