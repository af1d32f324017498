using System.Text.Json.Serialization;

namespace PortScan.Shared.Protocol;

/// <summary>
/// How a worker probes: the one record of the scan's probe settings. The coordinator builds it
/// once from the options (and <c>-T</c> templates), sends it to every worker on its command line
/// (<see cref="WorkerArguments"/>), the worker echoes what it really uses in its hello, and the
/// JSON report writes it as its <c>probes</c> object (with the scan-wide rate). Times are whole milliseconds, as they travel on the wire.
/// </summary>
/// <param name="TimeoutMs">The longest a probe waits for an answer: nmap's --max-rtt-timeout, portscan's --timeout.</param>
/// <param name="MinRttTimeoutMs">The least a probe waits, however fast the host answers (nmap's --min-rtt-timeout).</param>
/// <param name="InitialRttTimeoutMs">What a probe waits before the host has answered anything (nmap's --initial-rtt-timeout).</param>
/// <param name="MaxRetries">Retransmissions a silent port may get at most (nmap's --max-retries); evidence from the host decides how many it does get.</param>
/// <param name="Concurrency">Probes in flight at most, whatever the congestion window allows.</param>
/// <param name="MaxRate">Probes a second at most, this worker's share of the scan's --max-rate; 0 for no limit.</param>
/// <param name="BannerMs">How long to wait for an open TCP port's banner; 0 for no banners.</param>
/// <param name="MinRate">Probes a second at least, this worker's share of the scan's --min-rate: no host's pace is cut below it; 0 for none.</param>
/// <param name="HostTimeoutMs">nmap's --host-timeout: a host's ports not decided this long after its first probe are given up (unscanned); 0 for none.</param>
public sealed record ProbeSettings(
    int TimeoutMs,
    int MinRttTimeoutMs,
    int InitialRttTimeoutMs,
    int MaxRetries,
    int Concurrency,
    double MaxRate = 0,
    int BannerMs = 0,
    double MinRate = 0,
    int HostTimeoutMs = 0)
{
    /// <summary>nmap's default --min-rtt-timeout: below it, a host's own scheduling jitter makes answers look lost.</summary>
    public const int DefaultMinRttTimeoutMs = 100;

    /// <summary>nmap's default --initial-rtt-timeout.</summary>
    public const int DefaultInitialRttTimeoutMs = 1000;

    /// <summary>nmap's default --max-retries.</summary>
    public const int DefaultMaxRetries = 10;

    /// <summary>More retransmissions than this never changes a verdict: 50 silent tries at 5 % loss each way is a chance of 10⁻⁵¹.</summary>
    public const int MaxMaxRetries = 50;

    /// <summary>
    /// A fixed timeout: every probe waits exactly <paramref name="timeoutMs"/>, once. This is the
    /// original article's timing, which <c>demo</c>, <c>bench</c> and <c>--fixed-timeout</c> use so
    /// that a slice costs ports × timeout.
    /// </summary>
    public static ProbeSettings Fixed(int timeoutMs, int concurrency) => new(timeoutMs, timeoutMs, timeoutMs, 0, concurrency);

    /// <summary>True when the timeout cannot adapt (min = max): the article's timing.</summary>
    [JsonIgnore]
    public bool IsFixed => MinRttTimeoutMs == TimeoutMs;

    /// <summary>Null when consistent, else one sentence saying what is wrong.</summary>
    public string? Problem() =>
        TimeoutMs < 1 ? "the timeout must be at least 1 ms"
        : MinRttTimeoutMs < 1 ? "the minimum RTT timeout must be at least 1 ms"
        : MinRttTimeoutMs > TimeoutMs ? $"the minimum RTT timeout ({MinRttTimeoutMs} ms) is longer than the maximum ({TimeoutMs} ms)"
        : InitialRttTimeoutMs < MinRttTimeoutMs || InitialRttTimeoutMs > TimeoutMs
            ? $"the initial RTT timeout ({InitialRttTimeoutMs} ms) must lie between the minimum ({MinRttTimeoutMs} ms) and the maximum ({TimeoutMs} ms)"
        : MaxRetries is < 0 or > MaxMaxRetries ? $"max retries must be from 0 to {MaxMaxRetries}"
        : Concurrency < 1 ? "concurrency must be at least 1"
        : MaxRate < 0 || MinRate < 0 ? "the rate must not be negative"
        : MaxRate > 0 && MinRate > MaxRate ? $"--min-rate ({Rate(MinRate)}) is above --max-rate ({Rate(MaxRate)}): no pace can be both"
        : BannerMs < 0 ? "the banner wait must not be negative"
        : HostTimeoutMs < 0 ? "the host timeout must not be negative"
        : null;

    private static string Rate(double perSecond) => perSecond.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
