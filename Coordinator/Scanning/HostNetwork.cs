namespace PortScan.Coordinator.Scanning;

/// <summary>
/// What the network did to one host over the whole scan, from the timing messages of every worker
/// that scanned it (every attempt of every slice). Counts add up across workers; the round-trip
/// figures are those of the worker that timed the most answers, the best estimate any one of them
/// has (averaging estimates made from a handful of answers would only blur the best one).
/// </summary>
/// <param name="SrttMs">Smoothed round-trip time (RFC 6298); null when no answer was timed.</param>
/// <param name="RttVarMs">Its variation; null when no answer was timed.</param>
/// <param name="TimeoutMs">The probe timeout those figures gave.</param>
/// <param name="RttSamples">Answers timed, by all the workers together.</param>
/// <param name="Probes">Probes sent, retransmissions included.</param>
/// <param name="Retries">Retransmissions.</param>
/// <param name="Drops">Probes the network was shown to lose: a later try of the same port drew an answer (losses to the workers' own pace are not counted).</param>
/// <param name="Tries">The most tries a silent port got.</param>
public sealed record HostNetwork(double? SrttMs, double? RttVarMs, int TimeoutMs, int RttSamples, int Probes, int Retries, int Drops, int Tries)
{
    /// <summary>The host's figures from the latest timing of each worker process that sent one; null when none did.</summary>
    public static HostNetwork? Of(IReadOnlyCollection<TimingFigures> timings)
    {
        if (timings.Count == 0)
        {
            return null;
        }
        var pooled = Pool(timings);
        var timed = pooled.RttSamples > 0;
        return new HostNetwork(timed ? pooled.SrttMs : null, timed ? pooled.RttVarMs : null, pooled.TimeoutMs,
            pooled.RttSamples, pooled.Probes, pooled.Retries, pooled.Drops, pooled.Tries);
    }

    /// <summary>
    /// Several workers' timing of one host as one: counts added up, the most tries, and the round-trip
    /// figures of the worker that timed the most answers. What the reports show, and the hint the
    /// coordinator passes to a worker about what the others saw.
    /// </summary>
    public static TimingFigures Pool(IReadOnlyCollection<TimingFigures> timings)
    {
        var best = timings.MaxBy(t => t.RttSamples);
        return best with
        {
            RttSamples = timings.Sum(t => t.RttSamples),
            Probes = timings.Sum(t => t.Probes),
            Retries = timings.Sum(t => t.Retries),
            Drops = timings.Sum(t => t.Drops),
            Tries = timings.Max(t => t.Tries),
        };
    }
}
