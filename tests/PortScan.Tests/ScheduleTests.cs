using System.Net;
using System.Text.RegularExpressions;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// --schedule: the block schedule (the article's contiguous slices) and the cyclic one (every W-th
/// position, OpenMP's schedule(static,1)), their formulas, their compact wire form, and a cyclic
/// scan whose worker is killed mid-scan.
/// </summary>
public partial class ScheduleTests
{
    [Test]
    public void Cyclic_worker_i_takes_positions_i_plus_k_times_w_and_every_position_once_for_many_inputs()
    {
        var random = new Random(20261122);
        for (var trial = 0; trial < 2000; trial++)
        {
            var total = random.Next(1, 5000);
            var workers = random.Next(1, 80);

            var slices = SlicePlanner.Plan(total, workers, Schedule.Cyclic);

            var w = Math.Min(workers, total);
            slices.Count.ShouldBe(w);
            var seen = new int[total];
            foreach (var slice in slices)
            {
                var positions = slice.Positions().ToList();
                positions.ShouldBe(Enumerable.Range(0, total).Where(p => p % w == slice.Worker), $"total {total}, {workers} workers, worker {slice.Worker}");
                foreach (var position in positions)
                {
                    seen[position]++;
                    slice.IndexOf(position).ShouldBe((position - slice.Worker) / w);
                    SlicePlanner.SliceOf(slices, position).ShouldBe(slice.Worker);
                }
            }
            seen.ShouldAllBe(count => count == 1, $"total {total}, {workers} workers");
        }
    }

    [Test]
    public void A_slice_knows_which_hosts_it_covers_and_which_positions_are_its_own()
    {
        // 3 hosts × 10 ports over 4 workers, round-robin: worker 2 holds 2, 6, 10, …, 26.
        var bounds = SlicePlanner.Plan(30, 4, Schedule.Cyclic)[2];

        (bounds.Start, bounds.Stride, bounds.Count, bounds.End).ShouldBe((2, 4, 7, 26));
        bounds.IndexOf(3).ShouldBe(-1);
        bounds.IndexOf(30).ShouldBe(-1);
        bounds.Overlaps(0, 1).ShouldBeFalse("positions 0 and 1 are workers 0's and 1's");
        bounds.Overlaps(7, 9).ShouldBeFalse("8 is worker 0's");
        bounds.Overlaps(20, 29).ShouldBeTrue("22 and 26");
        bounds.Overlaps(27, 29).ShouldBeFalse("past its last position");
    }

    [Test]
    public void Every_w_th_port_is_written_as_a_stride_and_read_back()
    {
        var ports = PortSet.Of(Enumerable.Range(0, 250).Select(k => new PortRange(20003 + (8 * k), 20003 + (8 * k))));

        ports.ToString().ShouldBe("20003-21995/8");
        PortSet.TryParse("20003-21995/8", out var parsed, out _).ShouldBeTrue();
        parsed.ShouldBe(ports);
        // Two single ports are not worth a stride; ranges and strides mix.
        PortSet.TryParse("1-3,10,20,40-60/10,70-80", out var mixed, out _).ShouldBeTrue();
        mixed.ToString().ShouldBe("1-3,10,20,40-60/10,70-80");
        PortSet.TryParse("5,9", out var pair, out _).ShouldBeTrue();
        pair.ToString().ShouldBe("5,9");
    }

    [TestCase("1-9/0")]
    [TestCase("1-9/")]
    [TestCase("1-9/x")]
    [TestCase("9-1/2")]
    public void A_bad_stride_is_refused_with_one_line(string text)
    {
        PortSet.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotContain("\n");
        error.ShouldNotBeEmpty();
    }

    [Test]
    public void A_cyclic_slice_of_many_hosts_is_a_few_segments_in_the_wire_syntax()
    {
        var work = new WorkList([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")],
            PortSelection.OfTcp(PortSet.Of(new PortRange(1, 10))));

        var slices = SlicePlanner.Plan(work, 4, Schedule.Cyclic);

        slices.Select(s => s.Work.ToString()).ShouldBe([
            "127.0.0.1 1-9/4; 127.0.0.2 3,7; 127.0.0.3 1-9/4",
            "127.0.0.1 2-10/4; 127.0.0.2 4,8; 127.0.0.3 2-10/4",
            "127.0.0.1 3,7; 127.0.0.2 1-9/4; 127.0.0.3 3,7",
            "127.0.0.1 4,8; 127.0.0.2 2-10/4; 127.0.0.3 4,8",
        ]);
    }

    [Test]
    public async Task Plan_prints_the_cyclic_assignment_and_its_arithmetic()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("plan", "-p", "20000-21999", "-w", "8", "--schedule", "cyclic");

        exit.ShouldBe(0);
        stdout.ShouldContain("2000 ports over 8 workers, dealt round-robin: worker i takes positions i, i + 8, i + 16, …; 250 each.");
        stdout.ShouldContain("     3  20003  21995    250  20003-21995/8");
    }

    [TestCase("dynamic", "not built yet")]
    [TestCase("dynamic:16", "not built yet")]
    [TestCase("guided", "must be block or cyclic")]
    public async Task An_unknown_schedule_is_exit_2_with_one_line(string schedule, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("plan", "-p", "1-10", "--schedule", schedule);

        exit.ShouldBe(2);
        stderr.ShouldContain(message);
        stderr.Trim().Split('\n').Length.ShouldBe(1, stderr);
    }

    [Test]
    public async Task A_stride_is_not_nmap_port_syntax_and_is_refused_on_the_command_line()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("plan", "-p", "1-9/2");

        exit.ShouldBe(2);
        stderr.ShouldContain("'1-9/2' is not a port, a range or a T:/U: prefix");
    }

    [GeneratedRegex(@"worker 1: attempt 1 started pid (\d+)")]
    private static partial Regex SecondWorkerStarted();

    [GeneratedRegex(@"worker 1 said: \{""type"":""ports""")]
    private static partial Regex SecondWorkerReported();

    [Test]
    public async Task A_cyclic_scan_whose_worker_is_killed_mid_scan_still_reports_every_port_once_and_right()
    {
        // Filtered ports at a fixed 1 s timeout, two at a time, keep worker 1 busy for seconds: the window to kill it.
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var report = Path.Combine(TestTemp.Directory("schedule").FullName, "scan.json");
        string[] arguments = ["scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}", "--format", "json", "-o", report,
            "-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "1s", "--show-closed", "--schedule", "cyclic", "-d"];

        await using var scan = RunningProcess.Start(Binaries.Coordinator, arguments);
        var victim = int.Parse((await scan.WaitForStderrAsync(SecondWorkerStarted(), TimeSpan.FromMinutes(1))).Groups[1].Value);
        await scan.WaitForStderrAsync(SecondWorkerReported(), TimeSpan.FromMinutes(1));
        RunningProcess.Send(victim, RunningProcess.SigKill);
        var run = await scan.WaitForExitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(0, run.ToString());
        var actual = JsonReport.Parse(File.ReadAllText(report));
        actual.Complete.ShouldBeTrue();
        actual.Schedule.ShouldBe("cyclic");
        actual.Hosts[0].Ports.Select(p => p.Port).ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count), "every port once, in order");
        actual.Hosts[0].Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());
        actual.Slices[0].Work.ShouldBe($"127.0.0.1 {lab.Ports.Start}-{lab.Ports.End - ((lab.Ports.Count - 1) % 2)}/2", "worker 0 takes every other port from the first");
        var attempts = actual.Slices[1].Attempts;
        attempts.Count.ShouldBe(2);
        attempts[0].ExitCode.ShouldBe(137);
        var replacement = attempts[1].Segments.ShouldHaveSingleItem();
        PortSet.TryParse(replacement.Ports, out var left, out _).ShouldBeTrue();
        left.Ports().ShouldAllBe(port => (port - lab.Ports.Start) % 2 == 1, "the replacement scans only worker 1's own ports");
        left.Count.ShouldBeLessThan(actual.Slices[1].Segments.Sum(s => s.PortCount), "and only those left");
    }
}
