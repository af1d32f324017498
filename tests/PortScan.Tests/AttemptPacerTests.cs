using System.Diagnostics;
using PortScan.Worker;

namespace PortScan.Tests;

/// <summary>
/// How many attempts a pacer lets out at once after a wait: the scan's pacer (--max-rate) catches
/// up 10 ms of slots, a host's pacer at most half a slot, since a burst into a drained SYN guard gets
/// only its first SYN through. The bounds are computed from the time the calls really took, so a
/// slow machine loosens them as much as it must and no more.
/// </summary>
public class AttemptPacerTests
{
    [Test]
    public void A_host_pacer_lets_out_one_attempt_after_a_wait_and_spaces_the_rest()
    {
        // 100 a second: a slot every 10 ms, half a slot of catch-up.
        var pacer = AttemptPacer.Smooth();
        pacer.PerSecond = 100;
        pacer.Take();
        Thread.Sleep(200);

        var (taken, elapsed) = TakeAtOnce(pacer);

        taken.ShouldBeGreaterThanOrEqualTo(1, "a slot is due after the wait");
        // One now, then one per 10 ms that really went by, with the half slot of catch-up.
        taken.ShouldBeLessThanOrEqualTo(1 + (int)Math.Floor((elapsed.TotalMilliseconds + 5) / 10), $"{taken} let out in {elapsed.TotalMilliseconds:0.0} ms");
    }

    [Test]
    public void The_scan_pacer_catches_up_ten_milliseconds_of_slots_after_a_wait()
    {
        // 1,000 a second: 10 ms of catch-up is 10 slots, let out at once so --max-rate holds over the scan.
        var pacer = new AttemptPacer(1000);
        pacer.Take();
        Thread.Sleep(200);

        var (taken, elapsed) = TakeAtOnce(pacer);

        taken.ShouldBeGreaterThanOrEqualTo(10, "the slots missed while waiting, up to 10 ms of them");
        taken.ShouldBeLessThanOrEqualTo(11 + (int)Math.Ceiling(elapsed.TotalMilliseconds), $"{taken} let out in {elapsed.TotalMilliseconds:0.0} ms");
    }

    [Test]
    public void A_host_pacer_keeps_its_pace_over_time()
    {
        var pacer = AttemptPacer.Smooth();
        pacer.PerSecond = 2000;
        var stopwatch = Stopwatch.StartNew();
        var taken = 0;
        while (stopwatch.ElapsedMilliseconds < 100)
        {
            taken += pacer.TryTake() ? 1 : 0;
        }

        // Never more than the pace allows (one at the start, half a slot of catch-up);
        // the lower bound is left to the lab tests, where a slow machine cannot fail it.
        taken.ShouldBeLessThanOrEqualTo(2 + (int)(stopwatch.Elapsed.TotalSeconds * 2000));
    }

    /// <summary>Takes slots as fast as the pacer allows, 50 calls in a row.</summary>
    private static (int Taken, TimeSpan Elapsed) TakeAtOnce(AttemptPacer pacer)
    {
        var stopwatch = Stopwatch.StartNew();
        var taken = 0;
        for (var call = 0; call < 50; call++)
        {
            taken += pacer.TryTake() ? 1 : 0;
        }
        return (taken, stopwatch.Elapsed);
    }
}
