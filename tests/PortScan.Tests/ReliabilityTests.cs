using System.Text.RegularExpressions;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The failure model of docs/reliability.md, with real processes and real signals: workers that
/// die, hang or lie, a coordinator that is interrupted or killed, and a tight open-file limit.
/// </summary>
public partial class ReliabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [GeneratedRegex(@"worker 1: attempt 1 started pid (\d+)")]
    private static partial Regex SecondWorkerStarted();

    [GeneratedRegex(@"worker 1 said: \{""type"":""ports""")]
    private static partial Regex SecondWorkerReported();

    [GeneratedRegex(@"attempt \d+ started pid (\d+)")]
    private static partial Regex AnyWorkerStarted();

    private static string[] ScanArguments(LabTargetRange lab, string report, params string[] more) =>
        ["scan", "127.0.0.1", "--start-port", $"{lab.Start}", "--end-port", $"{lab.End}", "--format", "json", "-o", report, .. more];

    private readonly record struct LabTargetRange(int Start, int End);

    private static string TempReport() => Path.Combine(TestTemp.Directory("reliability").FullName, "scan.json");

    private static IEnumerable<int> Pids(string stderr) => AnyWorkerStarted().Matches(stderr).Select(m => int.Parse(m.Groups[1].Value));

    /// <summary>Gone, or a zombie waiting for its new parent to collect it: either way it runs no more.</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Waits up to <paramref name="limit"/> for every process to be gone; returns those still running.</summary>
    private static async Task<List<int>> StillRunningAfterAsync(IReadOnlyList<int> pids, TimeSpan limit)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!pids.All(IsGone) && stopwatch.Elapsed < limit)
        {
            await Task.Delay(20);
        }
        return [.. pids.Where(pid => !IsGone(pid))];
    }

    [Test]
    public async Task A_worker_killed_mid_scan_is_replaced_and_the_result_equals_an_undisturbed_scan()
    {
        // Filtered ports at a fixed 1 s timeout, two at a time, keep worker 1 busy for seconds: the window to kill it.
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var range = new LabTargetRange(lab.Ports.Start, lab.Ports.End);
        var (disturbedReport, undisturbedReport) = (TempReport(), TempReport());
        string[] common = ["-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "1s", "--show-closed"];

        var undisturbed = Binaries.PortScanAsync(ScanArguments(range, undisturbedReport, common));
        // -d logs every line a worker writes: the victim is killed once it has reported ports, with filtered ones still in flight.
        await using var disturbed = RunningProcess.Start(Binaries.Coordinator, ScanArguments(range, disturbedReport, [.. common, "-d"]));
        var victim = int.Parse((await disturbed.WaitForStderrAsync(SecondWorkerStarted(), Limit)).Groups[1].Value);
        await disturbed.WaitForStderrAsync(SecondWorkerReported(), Limit);
        RunningProcess.Send(victim, RunningProcess.SigKill);
        var run = await disturbed.WaitForExitAsync(Limit);
        (await undisturbed).ExitCode.ShouldBe(0);

        run.ExitCode.ShouldBe(0, run.ToString());
        var expected = JsonReport.Parse(File.ReadAllText(undisturbedReport));
        var actual = JsonReport.Parse(File.ReadAllText(disturbedReport));
        actual.Complete.ShouldBeTrue();
        actual.Hosts[0].Counts.ShouldBe(expected.Hosts[0].Counts);
        actual.Hosts[0].Ports.Select(p => (p.Port, p.State)).ShouldBe(expected.Hosts[0].Ports.Select(p => (p.Port, p.State)));
        actual.Hosts[0].Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());

        var attempts = actual.Slices[1].Attempts;
        attempts.Count.ShouldBe(2);
        attempts[0].Pid.ShouldBe(victim);
        attempts[0].ExitCode.ShouldBe(137); // 128 + SIGKILL
        attempts[0].Failure!.ShouldContain("killed by signal 9");
        attempts[1].Pid.ShouldNotBe(victim);
        attempts[1].ExitCode.ShouldBe(0);
        attempts[1].Work.ShouldNotBe(attempts[0].Work, "the replacement scans only what was left");
        actual.Slices[0].Attempts.ShouldHaveSingleItem().ExitCode.ShouldBe(0);
    }

    [Test]
    public async Task A_worker_that_writes_garbage_is_stopped_and_its_ports_reported_unscanned()
    {
        var report = TempReport();

        var run = await Binaries.PortScanAsync(ScanArguments(new(21, 30), report, "-w", "2", "--max-worker-restarts", "1", "--worker-path", WorkerDoubles.Garbage));

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("not a protocol message");
        run.Stderr.ShouldContain("this is not JSON");
        run.Stderr.ShouldContain("left 5 ports unscanned (127.0.0.1 21-25)");
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Complete.ShouldBeFalse();
        json.Hosts[0].Counts.Unscanned.ShouldBe(10);
        json.MaxWorkerRestarts.ShouldBe(1);
        json.Slices.ShouldAllBe(s => s.Attempts.Count == 2 && s.UnscannedWork != null);
    }

    [Test]
    public async Task A_worker_that_dies_at_once_is_retried_then_reported()
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--start-port", "21", "--end-port", "24", "-w", "1", "--worker-path", WorkerDoubles.DiesAtOnce);

        run.ExitCode.ShouldBe(1, run.ToString());
        Regex.Count(run.Stderr, "segmentation fault").ShouldBe(3, "the first worker and two replacements (--max-worker-restarts defaults to 2)");
        run.Stderr.ShouldContain("left 4 ports unscanned (127.0.0.1 21-24): the worker exited with code 3 before reporting them");
        run.Stdout.ShouldContain("2 replacement workers were started");
    }

    [Test]
    public async Task A_worker_that_closes_stdout_and_lingers_is_killed()
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--start-port", "21", "--end-port", "24", "-w", "1", "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.ClosesStdout);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("left 4 ports unscanned (127.0.0.1 21-24): it closed its stdout but was still running 2 s later, and was killed");
    }

    [TestCase("unknown-message", "not a protocol message")]
    [TestCase("outside", "127.0.0.1 port 1/tcp is not one it was given (127.0.0.1 21-30)")]
    [TestCase("duplicate", "127.0.0.1 port 21/tcp reported twice")]
    public async Task A_worker_that_breaks_the_protocol_is_distrusted_and_nothing_is_counted_twice(string double_, string reason)
    {
        var path = double_ switch
        {
            "unknown-message" => WorkerDoubles.UnknownMessage,
            "outside" => WorkerDoubles.OutsideItsPorts,
            _ => WorkerDoubles.Duplicate,
        };
        var report = TempReport();

        var run = await Binaries.PortScanAsync(ScanArguments(new(21, 30), report, "-w", "1", "--max-worker-restarts", "0", "--worker-path", path));

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("worker 0 (attempt 1, pid");
        run.Stderr.ShouldContain(reason);
        var counts = JsonReport.Parse(File.ReadAllText(report)).Hosts[0].Counts;
        counts.Closed.ShouldBe(double_ == "duplicate" ? 1 : 0);
        (counts.Open + counts.Closed + counts.Filtered + counts.Unscanned).ShouldBe(10);
    }

    [Test]
    public async Task A_replacement_finishes_what_a_garbage_writing_worker_left()
    {
        await using var lab = TestLab.Start(open: 2, closed: 4, filtered: 0);
        var report = TempReport();

        var run = await Binaries.PortScanAsync(ScanArguments(new(lab.Ports.Start, lab.Ports.End), report, "-w", "1", "--worker-path", WorkerDoubles.GarbageOnce()));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Complete.ShouldBeTrue();
        json.Hosts[0].Counts.ShouldBe(new JsonCounts(2, 4, 0, 0, 0));
        json.Slices[0].Attempts.Count.ShouldBe(2);
    }

    [Test]
    public async Task A_hung_worker_is_killed_by_the_watchdog_and_replaced()
    {
        await using var lab = TestLab.Start(open: 1, closed: 2, filtered: 0);
        var report = TempReport();

        var run = await Binaries.PortScanAsync(ScanArguments(new(lab.Ports.Start, lab.Ports.End), report, "-w", "1", "-c", "10", "--worker-path", WorkerDoubles.HangsOnce()));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("was killed by the watchdog");
        var attempts = JsonReport.Parse(File.ReadAllText(report)).Slices[0].Attempts;
        attempts.Count.ShouldBe(2);
        attempts[0].Failure!.ShouldContain("silent for more than");
        attempts[0].ExitCode.ShouldBe(137);
    }

    [TestCase(RunningProcess.SigInt, 130)]
    [TestCase(RunningProcess.SigTerm, 143)]
    public async Task A_stop_signal_writes_a_partial_report_and_leaves_no_worker(int signal, int exitCode)
    {
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 30);
        var report = TempReport();
        await using var scan = RunningProcess.Start(Binaries.Coordinator,
            ScanArguments(new(lab.Ports.Start, lab.Ports.End), report, "-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "2s", "-v"));
        await scan.WaitForStderrAsync(SecondWorkerStarted(), Limit);
        await Task.Delay(1000);

        scan.Signal(signal);
        var run = await scan.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(exitCode, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Complete.ShouldBeFalse();
        var counts = json.Hosts[0].Counts;
        counts.Unscanned.ShouldBeGreaterThan(0);
        (counts.Open + counts.Closed + counts.Filtered + counts.Unscanned).ShouldBe(lab.Ports.Count);
        run.Stdout.ShouldContain("Stopped on request");
        json.Slices.SelectMany(s => s.Attempts).ShouldAllBe(a => a.Failure == "stopped by a stop line from the coordinator before all its ports were scanned",
            "every worker was stopped through its stdin, and reported what it finished");
        Pids(run.Stderr).Count().ShouldBe(2);
        Pids(run.Stderr).ShouldAllBe(pid => IsGone(pid));
    }

    [Test]
    public async Task A_second_ctrl_c_quits_at_once_even_while_workers_are_stuck()
    {
        await using var lab = TestLab.Start(open: 1, closed: 1, filtered: 30);
        var report = TempReport();
        await using var scan = RunningProcess.Start(Binaries.Coordinator,
            ScanArguments(new(lab.Ports.Start, lab.Ports.End), report, "-w", "2", "-c", "1", "--fixed-timeout", "--timeout", "5s", "-v"));
        await scan.WaitForStderrAsync(SecondWorkerStarted(), Limit);
        var workers = Pids(scan.Stderr).ToList();
        // Frozen workers cannot answer the first Ctrl-C: the coordinator would wait out its 2 s grace.
        workers.ForEach(pid => RunningProcess.Send(pid, RunningProcess.SigStop));

        scan.Signal(RunningProcess.SigInt);
        await scan.WaitForStderrAsync(StoppingNotice(), Limit);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        scan.Signal(RunningProcess.SigInt);
        var run = await scan.WaitForExitAsync(Limit);
        var quit = stopwatch.Elapsed;
        workers.ForEach(pid => RunningProcess.Send(pid, RunningProcess.SigCont));

        run.ExitCode.ShouldBe(130, run.ToString());
        quit.ShouldBeLessThan(ScanCoordinatorGrace, "the second Ctrl-C does not wait for the workers");
        File.Exists(report).ShouldBeFalse("quitting at once writes no report, rather than a torn one");
        (await StillRunningAfterAsync(workers, TimeSpan.FromSeconds(2))).ShouldBeEmpty("thawed workers find their coordinator gone and exit");
    }

    private static readonly TimeSpan ScanCoordinatorGrace = Coordinator.Scanning.ScanCoordinator.StopGrace;

    [GeneratedRegex("portscan: stopping")]
    private static partial Regex StoppingNotice();

    [Test]
    public async Task Workers_exit_within_2_s_of_their_coordinator_being_killed()
    {
        await using var lab = TestLab.Start(open: 1, closed: 1, filtered: 30);
        await using var scan = RunningProcess.Start(Binaries.Coordinator,
            ScanArguments(new(lab.Ports.Start, lab.Ports.End), TempReport(), "-w", "2", "-c", "1", "--fixed-timeout", "--timeout", "5s", "-v"));
        await scan.WaitForStderrAsync(SecondWorkerStarted(), Limit);
        var workers = Pids(scan.Stderr).ToList();
        workers.ShouldAllBe(pid => !IsGone(pid));

        scan.Signal(RunningProcess.SigKill);

        (await StillRunningAfterAsync(workers, TimeSpan.FromSeconds(2))).ShouldBeEmpty("workers still running 2 s after the coordinator was killed");
    }

    [Test]
    public async Task A_full_range_scan_under_an_open_file_limit_of_256_is_still_exact()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("ulimit");
        var report = Path.Combine(directory.FullName, "scan.json");

        var run = await PrivateNetwork.ScanBesideListenersAsync(
            $"(ulimit -n 256 && exec '{Binaries.Coordinator}' scan 127.0.0.1 -w 2 --format json -o '{report}')", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Probes.Concurrency.ShouldBe(256 - 64, "the coordinator sizes concurrency to the limit it was given");
        var host = json.Hosts.ShouldHaveSingleItem();
        host.Ports.Select(p => p.Port).ShouldBe(PrivateNetwork.Listeners);
        host.Counts.ShouldBe(new JsonCounts(3, 65532, 0, 0, 0));
        directory.Delete(recursive: true);
    }
}
