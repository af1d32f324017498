using System.Diagnostics;

namespace PortScan.Worker;

/// <summary>
/// Spaces attempts (connects, UDP probes) at most <see cref="PerSecond"/> a second, on an absolute
/// schedule: attempt k is due at <c>start + k / rate</c>, so waking late never makes the rate drift.
/// How far a late pacer may catch up is what sets the burst it can send: the scan's pacer
/// (--max-rate) catches up at most 10 ms of attempts, so the rate over any stretch longer than that
/// stays within the limit; a host's pacer (<see cref="Smooth"/>) at most half a slot, so its
/// attempts stay at least half an interval apart.
/// </summary>
internal sealed class AttemptPacer
{
    private static readonly long ScanCatchUp = Stopwatch.Frequency / 100; // 10 ms

    /// <summary>A host pacer's catch-up is never below this: the timer's own slack (50 µs) must not cost the pace.</summary>
    private static readonly long SmoothCatchUpFloor = Stopwatch.Frequency / 10_000; // 100 µs

    private readonly bool _smooth;
    private long _interval;
    private long _catchUp;
    private long _next;

    /// <param name="perSecond">Attempts a second; 0 or less for no limit.</param>
    public AttemptPacer(double perSecond)
        : this(perSecond, smooth: false)
    {
    }

    private AttemptPacer(double perSecond, bool smooth)
    {
        _smooth = smooth;
        PerSecond = perSecond;
    }

    public static AttemptPacer Unlimited => new(0);

    /// <summary>
    /// A pacer for one host's pace, which is set because the host drops what comes faster (a SYN-flood
    /// guard, an ICMP budget). Such a guard is a token bucket, and once it is drained a burst gets at
    /// most its first attempt through: measured behind a limit of 1,000 SYNs a second, a worker that
    /// sent each round of retries as one burst after a wait lost every retry of some ports 23 times
    /// running (their canary, first in the burst, took the one token), and called them filtered.
    /// </summary>
    public static AttemptPacer Smooth() => new(0, smooth: true);

    public double PerSecond
    {
        get;
        set
        {
            field = value;
            _interval = value > 0 ? Math.Max(1, (long)(Stopwatch.Frequency / value)) : 0;
            _catchUp = _smooth ? Math.Max(_interval / 2, SmoothCatchUpFloor) : ScanCatchUp;
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
        _next = (_next == 0 ? now : Math.Max(_next, now - _catchUp)) + _interval;
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

    /// <summary>How long until the next slot, rounded up to whole microseconds (what the engines wait in).</summary>
    public int MicrosecondsUntilNext() => _interval == 0 ? 0 : WaitTime.Microseconds(_next - Stopwatch.GetTimestamp());
}
