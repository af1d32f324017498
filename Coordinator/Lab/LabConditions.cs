using System.Globalization;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// How hostile a namespace lab's network is: random loss of packets each way, a cap on new TCP
/// SYNs a second (a common SYN-flood guard) and a round-trip latency with jitter. The default is a
/// perfect link.
/// </summary>
public sealed record LabConditions
{
    public static readonly LabConditions None = new();
    public static readonly TimeSpan MaxLatency = TimeSpan.FromSeconds(10);
    public const int MaxSynLimit = 1_000_000;

    /// <param name="lossPercent">Packets dropped at random, each way, in percent: 0 to below 100, rounded to 0.01.</param>
    /// <param name="synLimit">New TCP SYNs a second the lab takes before it drops them; 0 for no limit.</param>
    /// <param name="latency">The round-trip delay, half of it each way; 0 to 10 s.</param>
    /// <param name="jitter">How far a round trip may lie either side of <paramref name="latency"/>; at most the latency.</param>
    public LabConditions(double lossPercent = 0, int synLimit = 0, TimeSpan latency = default, TimeSpan jitter = default)
    {
        LossPercent = Math.Round(lossPercent, 2);
        if (!(LossPercent is >= 0 and < 100))
        {
            throw new ArgumentOutOfRangeException(nameof(lossPercent), lossPercent, "loss must be at least 0 % and below 100 %");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(synLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(synLimit, MaxSynLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(latency, MaxLatency);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, latency);
        SynLimit = synLimit;
        Latency = latency;
        Jitter = jitter;
    }

    public double LossPercent { get; }

    public int SynLimit { get; }

    public TimeSpan Latency { get; }

    public TimeSpan Jitter { get; }

    /// <summary>
    /// <c>--loss</c>: a percent from 0 to below 100, decimals allowed, with or without a trailing %.
    /// </summary>
    public static bool TryParseLoss(string text, out double percent, out string error)
    {
        var number = text.Trim().TrimEnd('%').TrimEnd();
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent) && double.IsFinite(percent) && Math.Round(percent, 2) < 100)
        {
            error = "";
            return true;
        }
        error = $"--loss '{text}' must be a percent from 0 to below 100 (examples: 5, 0.5, 50%)";
        return false;
    }

    /// <summary>
    /// <c>--latency</c>: a round trip, optionally ± a jitter (<c>±</c> or <c>+-</c>), each a number of
    /// milliseconds with an optional unit: <c>100</c>, <c>100ms</c>, <c>0.1s</c>, <c>100±10</c>, <c>1s+-50ms</c>.
    /// </summary>
    public static bool TryParseLatency(string text, out TimeSpan latency, out TimeSpan jitter, out string error)
    {
        latency = jitter = TimeSpan.Zero;
        var parts = text.Replace("+-", "±", StringComparison.Ordinal).Split('±');
        var jitterMs = 0.0;
        if (parts.Length > 2 || !TryParseMilliseconds(parts[0], out var latencyMs) || (parts.Length == 2 && !TryParseMilliseconds(parts[1], out jitterMs)))
        {
            error = $"--latency '{text}' is not a round trip in milliseconds with an optional ± jitter (examples: 100, 100ms, 0.1s, 100±10, 100+-10ms)";
            return false;
        }
        if (latencyMs > MaxLatency.TotalMilliseconds)
        {
            error = $"--latency '{text}' is too long: the most is {MaxLatency.TotalSeconds} s";
            return false;
        }
        if (jitterMs > latencyMs)
        {
            error = $"--latency '{text}': the jitter cannot exceed the latency (no packet arrives before it is sent)";
            return false;
        }
        (latency, jitter, error) = (TimeSpan.FromMilliseconds(latencyMs), TimeSpan.FromMilliseconds(jitterMs), "");
        return true;
    }

    private static bool TryParseMilliseconds(string text, out double milliseconds)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        var (number, scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.Ordinal) => (trimmed[..^2], 1.0),
            _ when trimmed.EndsWith('s') => (trimmed[..^1], 1000.0),
            _ => (trimmed, 1.0),
        };
        var parsed = double.TryParse(number.TrimEnd(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount);
        milliseconds = parsed ? amount * scale : 0;
        return parsed;
    }
}
