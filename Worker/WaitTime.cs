using System.Diagnostics;

namespace PortScan.Worker;

/// <summary>
/// Stopwatch ticks to the whole microseconds the engines wait in. Not milliseconds: a host's pace of
/// 1,500 probes a second is a slot every 667 µs, and waits rounded up to the millisecond would send
/// them in pairs, the second of which a drained SYN guard drops.
/// </summary>
internal static class WaitTime
{
    private static readonly long Longest = Stopwatch.Frequency * (int.MaxValue / 1_000_000);

    /// <summary>Rounded up, so a wait never ends just before its deadline and spins; 0 when it has passed.</summary>
    public static int Microseconds(long remainingTicks) => remainingTicks <= 0 ? 0
        : remainingTicks >= Longest ? int.MaxValue
        : (int)(((remainingTicks * 1_000_000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
}
