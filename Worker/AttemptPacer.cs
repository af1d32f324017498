using System.Diagnostics;

namespace PortScan.Worker;

/// <summary>
/// Spaces attempts (connects, UDP probes) at most <see cref="PerSecond"/> a second, on an absolute
/// schedule: attempt k is due at <c>start + k / rate</c>, so waking late never makes the rate drift.
/// After a stall (every socket busy) it catches up at most <see cref="CatchUp"/> worth of attempts,
/// so the rate over any stretch longer than that stays within the limit.
/// </summary>
internal sealed class AttemptPacer
{
    private static readonly long CatchUp = Stopwatch.Frequency / 100; // 10 ms

    private long _interval;
    private long _next;

    /// <param name="perSecond">Attempts a second; 0 or less for no limit.</param>
    public AttemptPacer(double perSecond) => PerSecond = perSecond;

    public static AttemptPacer Unlimited => new(0);

    public double PerSecond
    {
        get;
        set
        {
            field = value;
            _interval = value > 0 ? Math.Max(1, (long)(Stopwatch.Frequency / value)) : 0;
        }
    }

    public bool IsLimited => _interval > 0;

    /// <summary>True when an attempt may start now.</summary>
    public bool Ready => _interval == 0 || Stopwatch.GetTimestamp() >= _next;

    /// <summary>Books the next slot; call only when <see cref="Ready"/>.</summary>
    public void Take()
    {
        if (_interval == 0)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        _next = (_next == 0 ? now : Math.Max(_next, now - CatchUp)) + _interval;
    }

    public bool TryTake()
    {
        if (!Ready)
        {
            return false;
        }
        Take();
        return true;
    }

    /// <summary>How long until the next slot, rounded up to whole milliseconds (what epoll_wait takes).</summary>
    public int MillisecondsUntilNext()
    {
        if (_interval == 0)
        {
            return 0;
        }
        return WaitTime.Milliseconds(_next - Stopwatch.GetTimestamp());
    }
}
