using System.Diagnostics;

namespace PortScan.Worker;

/// <summary>Stopwatch ticks to the whole milliseconds epoll_wait and Thread.Sleep take.</summary>
internal static class WaitTime
{
    /// <summary>Rounded up, so a wait never ends just before its deadline and spins; 0 when it has passed.</summary>
    public static int Milliseconds(long remainingTicks) => remainingTicks <= 0 ? 0
        : (int)Math.Min(int.MaxValue, ((remainingTicks * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
}
