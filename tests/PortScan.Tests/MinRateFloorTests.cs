using PortScan.Worker.Timing;

namespace PortScan.Tests;

/// <summary>
/// --min-rate's floor under the congestion control, fed windows of canaries by hand: the pace it
/// sets is a number it computes, so nothing here depends on the machine's speed.
/// </summary>
public class MinRateFloorTests
{
    private static readonly long Window = CongestionControl.WindowTicks;

    [Test]
    public void A_pace_is_never_cut_below_the_min_rate_and_loss_it_cannot_test_counts_as_its_own()
    {
        var control = new CongestionControl(floor: 500);
        var refunded = 0;

        // 60 probes in a window (600 a second) lose half their canaries, window after window: a
        // cut to 0.9 × the 300 a second that got through is what the loss asks for.
        var changes = new List<string?>();
        for (var window = 0; window < 10; window++)
        {
            changes.Add(SendAndJudge(control, window, probes: 60, lost: 10, () => refunded++));
            control.Rate.ShouldBeGreaterThanOrEqualTo(500, $"window {window}: never below the floor");
        }

        changes[0].ShouldNotBeNull().ShouldContain("held at --min-rate's floor");
        control.Rate.ShouldBe(500);
        control.Background.ShouldBe(0, "slowing down was not allowed, so the loss was never blamed on the network");
        refunded.ShouldBe(10, "every congested window's silent tries are given back: they say nothing about their ports");
    }

    [Test]
    public void Without_a_floor_the_same_loss_is_tested_by_slowing_down_and_found_to_be_the_networks()
    {
        var control = new CongestionControl();
        var refunded = 0;

        for (var window = 0; window < 10; window++)
        {
            SendAndJudge(control, window, probes: 60, lost: 10, () => refunded++);
        }

        control.Background.ShouldBeGreaterThan(0, "as much loss at a lower pace is the network's");
        refunded.ShouldBeLessThan(10, "losses at the network's own level count as tries");
    }

    [Test]
    public void A_floor_below_what_the_loss_asks_for_changes_nothing()
    {
        var floored = new CongestionControl(floor: 50);
        var free = new CongestionControl();

        for (var window = 0; window < 10; window++)
        {
            SendAndJudge(floored, window, probes: 600, lost: 10, () => { });
            SendAndJudge(free, window, probes: 600, lost: 10, () => { });
            floored.Rate.ShouldBe(free.Rate, $"window {window}");
        }
    }

    /// <summary>One window of <paramref name="probes"/> sends with 20 canaries, <paramref name="lost"/> of them lost, and one silent port; then its verdict.</summary>
    private static string? SendAndJudge(CongestionControl control, int index, int probes, int lost, Action refund)
    {
        var start = (index + 1) * 10 * Window;
        ProbeWindow? window = null;
        for (var i = 0; i < probes; i++)
        {
            window = control.OnSend(start + (i * Window / probes));
        }
        for (var i = 0; i < 20; i++)
        {
            window!.CanarySent();
            if (i < lost)
            {
                window.CanaryLost();
            }
            else
            {
                window.CanaryAnswered();
            }
        }
        window!.Silent.Add(new PortProbe(1000 + index) { CountedTries = 1, SilentTries = 1 });
        return control.Judge(start + (2 * Window), hostEnd: false, patienceTicks: Window, _ => refund());
    }
}
