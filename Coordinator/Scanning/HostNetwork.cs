using PortScan.Shared.Protocol;

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
/// <param name="RttSamples">Answers timed, by the worker the figures come from.</param>
/// <param name="Probes">Probes sent, retransmissions included.</param>
/// <param name="Retries">Retransmissions.</param>
/// <param name="Drops">Probes shown to be lost: a later try of the same port drew an answer.</param>
/// <param name="Tries">The most tries a silent port got.</param>
public sealed record HostNetwork(double? SrttMs, double? RttVarMs, int TimeoutMs, int RttSamples, int Probes, int Retries, int Drops, int Tries)
{
    /// <summary>Each host (by index in the scan) that some worker sent timing for; hosts without any are absent.</summary>
    public static IReadOnlyDictionary<int, HostNetwork> ByHost(IEnumerable<SliceTracker> slices)
    {
        var byHost = new Dictionary<int, List<TimingMessage>>();
        foreach (var attempt in slices.SelectMany(s => s.Attempts))
        {
            foreach (var (host, timing) in attempt.Timings)
            {
                if (!byHost.TryGetValue(host, out var timings))
                {
                    byHost[host] = timings = [];
                }
                timings.Add(timing);
            }
        }
        return byHost.ToDictionary(pair => pair.Key, pair => Of(pair.Value));
    }

    private static HostNetwork Of(List<TimingMessage> timings)
    {
        var best = timings.MaxBy(t => t.RttSamples)!;
        var timed = best.RttSamples > 0;
        return new HostNetwork(
            timed ? best.SrttMs : null,
            timed ? best.RttVarMs : null,
            best.TimeoutMs,
            best.RttSamples,
            timings.Sum(t => t.Probes),
            timings.Sum(t => t.Retries),
            timings.Sum(t => t.Drops),
            timings.Max(t => t.Tries));
    }
}
