using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Worker;

namespace PortScan.Tests;

/// <summary>The ETA: a worker's estimate of its work left (pure arithmetic on its engine's state), and the scan's, the longest of its slices'.</summary>
public class EtaTests
{
    // 300 filtered ports to go, 10 in flight at once, a 1.5 s timeout, two tries each: 300 × 2 × 1.5 / 10 = 90 s of sending.
    private static readonly WorkEstimate FilteredBlock = new(Unstarted: 300, Queued: 0, InFlight: 0, LastDeadline: 0, SilentShare: 1,
        Tries: 2, Timeout: 1.5, AnswerTime: 0.0001, Concurrency: 10, Rate: 0, CostPerProbe: 0.00002, Hold: 0);

    [Test]
    public void Silent_ports_cost_every_try_of_a_timeout_spread_over_the_probes_in_flight()
    {
        // The last port's two tries (3 s) are 0.3 s of the sending and 2.7 s after it.
        FilteredBlock.Seconds().ShouldBe(90 + 2.7, 0.001);
    }

    [Test]
    public void Ports_that_answer_cost_their_round_trip_or_the_engines_own_work_whichever_is_more()
    {
        var closed = FilteredBlock with { SilentShare = 0, Unstarted = 50_000, Concurrency = 16_000 };

        // 50,000 probes at 20 µs of work each: 1 s; their round trips over 16,000 slots are 0.3 ms.
        closed.Seconds().ShouldBe(1, 0.001);
    }

    [Test]
    public void A_rate_limit_makes_every_probe_wait_its_slot_retries_included()
    {
        var paced = FilteredBlock with { Concurrency = 16_000, Rate = 4 };

        // 600 probes at 4 a second, then the last port's tries.
        paced.Seconds().ShouldBe(150 + (3 * (1 - (1.0 / 16_000))), 0.001);
    }

    [Test]
    public void With_nothing_left_to_send_the_probes_out_decide_their_deadline_and_their_retries_owed()
    {
        var waiting = FilteredBlock with { Unstarted = 0, InFlight = 300, LastDeadline = 0.5, Concurrency = 16_000, Hold = 3 };

        // The newest probe times out in 0.5 s, its retry takes one timeout more, and the host's end waits 3 s for evidence;
        // the 300 retries' own slot time over 16,000 slots is 28 ms.
        waiting.Seconds().ShouldBe(0.5 + 1.5 + 3 + (300 * 1.5 / 16_000), 0.001);
    }

    [Test]
    public void A_worker_with_nothing_left_needs_no_time()
    {
        default(WorkEstimate).Seconds().ShouldBe(0);
    }

    [Test]
    public void The_scan_ends_with_its_slowest_slice_less_the_time_since_each_worker_said_so()
    {
        TimeSpan? eta = ScanEta.Of([
            Slice(left: 100, estimate: 30, age: 0.5),
            Slice(left: 177, estimate: 88, age: 1),
            Slice(left: 0, estimate: null, age: 0),
        ]);

        eta.ShouldBe(TimeSpan.FromSeconds(87));
    }

    [Test]
    public void A_slice_without_an_estimate_is_taken_at_its_own_pace_so_far()
    {
        var eta = ScanEta.Of([Slice(left: 300, estimate: null, age: 0, finished: 100, elapsed: 2)]);

        eta.ShouldBe(TimeSpan.FromSeconds(6));
    }

    [Test]
    public void Nothing_is_promised_while_a_slice_can_say_nothing()
    {
        ScanEta.Of([Slice(left: 300, estimate: 5, age: 0), Slice(left: 300, estimate: null, age: 0, finished: 0)]).ShouldBeNull();
    }

    [Test]
    public void An_estimate_past_its_time_says_zero_and_a_slice_no_worker_will_finish_is_left_out()
    {
        ScanEta.Of([Slice(left: 10, estimate: 1, age: 2), Slice(left: 10, estimate: 60, age: 0) with { Running = false }])
            .ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void Nmaps_status_lines_carry_the_eta_as_a_clock_time_and_a_time_left()
    {
        var progress = new ScanProgress(TimeSpan.FromSeconds(5.2), 1234, 10_000, TimeSpan.FromSeconds(39.4), Hosts: 3, HostsCompleted: 1, HostsUp: 2, Udp: false);

        PeriodicStats.Render(progress, new DateTime(2026, 1, 2, 12, 34, 30)).ShouldBe([
            "Stats: 0:00:05 elapsed; 1 host completed (2 up), 2 undergoing Connect Scan",
            "Connect Scan Timing: About 12.34% done; ETA: 12:35 (0:00:40 remaining)",
        ]);
    }

    private static SliceProgress Slice(int left, double? estimate, double age, int finished = 1, double elapsed = 1) =>
        new(true, left, finished, TimeSpan.FromSeconds(elapsed), estimate is { } e ? TimeSpan.FromSeconds(e) : null, TimeSpan.FromSeconds(age));
}
