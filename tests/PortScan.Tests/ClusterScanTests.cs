using System.Text.RegularExpressions;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Scans through <c>--launch slurm</c> and <c>--launch ssh</c> on the three-node cluster
/// (<see cref="TestCluster"/>), against its lab host: the result is a local scan's, the lab host
/// sees every node, a lost worker is replaced, an unreachable host is passed over, and Ctrl-C leaves
/// no worker on any node. The cluster is built once for the class.
/// </summary>
[NonParallelizable]
public partial class ClusterScanTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    private TestCluster _cluster = null!;
    private JsonReport _localScan = null!;

    [GeneratedRegex(@"worker 2: attempt 1 started pid (\d+)")]
    private static partial Regex ThirdWorkerStarted();

    [GeneratedRegex(@"worker 2 said: \{""type"":""ports""")]
    private static partial Regex ThirdWorkerReported();

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        if (TestCluster.Unavailable() is { } reason)
        {
            Assert.Ignore(reason);
        }
        _cluster = await TestCluster.StartAsync();
        _localScan = await LocalScanAsync();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [SetUp]
    public async Task ForgetEarlierConnections() => await _cluster.ClearLabRecordAsync();

    /// <summary>Three of the lab host's addresses, its open ports among closed ones, and filtered ones at a fixed 1 s.</summary>
    private string[] Scan(string report, params string[] more) =>
    [
        "scan", $"{_cluster.LabAddresses[0]}", $"{_cluster.LabAddresses[1]}", $"{_cluster.LabAddresses[2]}", "-p", $"1-1000,{_cluster.LabFiltered}",
        "--fixed-timeout", "--timeout", "1s", "--show-closed", "--no-progress", "--format", "json", "-o", report, .. more,
    ];

    /// <summary>
    /// The lab host's filtered ports and the 20 closed ones below them, on one address: two filtered
    /// ports a second (-c 2) keep worker 2, whose slice is all filtered, busy for 7 s.
    /// </summary>
    private string[] SlowScan(string report, params string[] more)
    {
        var filtered = _cluster.LabFilteredRange;
        return
        [
            "scan", $"{_cluster.LabAddresses[0]}", "-p", $"{filtered.Start - 20}-{filtered.End}", "-w", "3", "-c", "2",
            "--fixed-timeout", "--timeout", "1s", "--show-closed", "--no-progress", "--format", "json", "-o", report, .. more,
        ];
    }

    private string[] Ssh(params string[] hosts) => ["--launch", "ssh", "--hosts", string.Join(',', hosts), "--ssh-args", $"-F '{_cluster.SshConfig}'"];

    private static string TempReport() => Path.Combine(TestTemp.Directory("cluster-scan").FullName, "scan.json");

    /// <summary>The same scan run here, once for the class: what every launcher must reproduce.</summary>
    private async Task<JsonReport> LocalScanAsync()
    {
        var report = TempReport();
        var run = await _cluster.RunAsync(Binaries.Coordinator, Scan(report));
        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldBeTheLabsLayout(json);
        json.Hosts.ShouldAllBe(host => host.Counts.Open > 0 && host.Counts.Filtered > 0 && host.Counts.Closed > 0);
        return json;
    }

    private static void ShouldEqual(JsonReport actual, JsonReport expected)
    {
        actual.Complete.ShouldBeTrue();
        actual.Hosts.Select(h => h.Address).ShouldBe(expected.Hosts.Select(h => h.Address));
        foreach (var (host, reference) in actual.Hosts.Zip(expected.Hosts))
        {
            host.Counts.ShouldBe(reference.Counts, host.Address);
            host.Ports.Select(p => (p.Port, p.State)).ShouldBe(reference.Ports.Select(p => (p.Port, p.State)), host.Address);
        }
    }

    private void ShouldBeTheLabsLayout(JsonReport json)
    {
        json.Complete.ShouldBeTrue();
        json.Hosts.ShouldAllBe(host => host.Ports.All(p => p.State == _cluster.ExpectedState(p.Port).ToWireName()));
    }

    /// <summary>The lab host received the scan's SYNs from every node, and from nothing else: at least one a port scanned.</summary>
    private async Task ShouldBeProbedFromEveryNodeAsync(JsonReport json)
    {
        var syns = await _cluster.LabSynsBySourceAsync();
        syns.Keys.ShouldBe(_cluster.NodeAddresses, ignoreOrder: true, "the lab host saw every node, and only the nodes");
        syns.Values.Sum().ShouldBeGreaterThanOrEqualTo(json.Hosts.Sum(h => h.Ports.Count));
    }

    /// <summary>Waits until no worker is left: none in Slurm's queue, no portscan-worker process on any node.</summary>
    private async Task ShouldLeaveNoWorkerAsync()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var queue = await _cluster.RunAsync("squeue", "-h", "-o", "%i %j %N");
            queue.ExitCode.ShouldBe(0, queue.ToString());
            var workers = (await _cluster.ProcessesOnNodesAsync()).Where(p => p.CommandLine.Contains("portscan-worker")).ToList();
            if (queue.Stdout.Trim().Length == 0 && workers.Count == 0)
            {
                return;
            }
            // Slurm measured 1-3 s to end a cancelled step's task.
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"left running 20 s after the scan ended:\nsqueue: {queue.Stdout}\n{string.Join('\n', workers)}");
            }
            await Task.Delay(100);
        }
    }

    [Test]
    public async Task A_scan_through_slurm_equals_a_local_scan_and_comes_from_every_node()
    {
        var report = TempReport();

        var run = await _cluster.RunAsync(Binaries.Coordinator, Scan(report, "--launch", "slurm"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldEqual(json, _localScan);
        var attempts = json.Slices.SelectMany(s => s.Attempts).ToList();
        attempts.ShouldAllBe(a => a.Launch!.Launcher == "slurm" && a.Launch.Node == a.Launch.Hostname && a.Launch.JobId != null && a.Launch.StepId != null);
        attempts.Select(a => a.Launch!.Node!).Distinct().Order().ToList().ShouldBe(_cluster.Nodes, "Slurm placed workers on every node");
        attempts.Select(a => a.Launch!.JobId).Distinct().Count().ShouldBe(attempts.Count, "one job step an attempt");
        await ShouldBeProbedFromEveryNodeAsync(json);
        await ShouldLeaveNoWorkerAsync();
    }

    [Test]
    public async Task A_scan_through_ssh_equals_a_local_scan_and_slice_i_runs_on_host_i_mod_3()
    {
        var report = TempReport();

        var run = await _cluster.RunAsync(Binaries.Coordinator, Scan(report, [.. Ssh([.. _cluster.Nodes]), "-w", "6"]));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldEqual(json, _localScan);
        json.Slices.Count.ShouldBe(6);
        foreach (var slice in json.Slices)
        {
            var launch = slice.Attempts.ShouldHaveSingleItem().Launch!;
            (launch.Launcher, launch.Host, launch.Hostname).ShouldBe(("ssh", _cluster.Nodes[slice.Worker % 3], _cluster.Nodes[slice.Worker % 3]));
        }
        await ShouldBeProbedFromEveryNodeAsync(json);
        await ShouldLeaveNoWorkerAsync();
    }

    [TestCase("slurm")]
    [TestCase("ssh")]
    public async Task A_dynamic_scan_equals_a_local_scan_with_its_chunks_carried_on_the_launchers_stdin(string launcher)
    {
        var report = TempReport();
        string[] launch = launcher == "slurm" ? ["--launch", "slurm"] : [.. Ssh([.. _cluster.Nodes]), "-w", "3"];

        var run = await _cluster.RunAsync(Binaries.Coordinator, Scan(report, [.. launch, "--schedule", "dynamic"]));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldEqual(json, _localScan);
        json.Schedule.ShouldBe("dynamic");
        var attempts = json.Slices.SelectMany(s => s.Attempts).ToList();
        attempts.Count.ShouldBe(json.Slices.Count, "one attempt a chunk: nothing failed");
        attempts.Select(a => a.Worker).Distinct().Count().ShouldBe(json.Workers);
        attempts.Count.ShouldBeGreaterThan(json.Workers, "the workers went on to further chunks, sent through ssh or srun");
        attempts.GroupBy(a => a.Worker).ShouldAllBe(lane => lane.Select(a => a.Launch!.Hostname).Distinct().Count() == 1, "a worker's chunks all ran where it ran");
        await ShouldLeaveNoWorkerAsync();
    }

    [Test]
    public async Task An_unreachable_ssh_host_costs_each_of_its_slices_one_failed_attempt_and_the_next_host_scans_them()
    {
        var report = TempReport();
        var refusing = _cluster.RefusingHost;

        // Four hosts, so four workers: slice 1 goes to the refusing host first, then to node2.
        var run = await _cluster.RunAsync(Binaries.Coordinator, Scan(report, Ssh(_cluster.Nodes[0], refusing, _cluster.Nodes[1], _cluster.Nodes[2])));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldEqual(json, _localScan);
        json.Slices.Select(s => s.Attempts.Select(a => a.Launch!.Host).ToList()).ShouldBe(
            [[_cluster.Nodes[0]], [refusing, _cluster.Nodes[1]], [_cluster.Nodes[1]], [_cluster.Nodes[2]]]);
        var failed = json.Slices[1].Attempts[0];
        failed.ExitCode.ShouldBe(255);
        failed.Failure!.ShouldContain("Connection refused");
        json.Slices[1].Attempts[1].Work.ShouldBe(failed.Work, "the refused attempt scanned nothing: its replacement scans it all");
        await ShouldBeProbedFromEveryNodeAsync(json);
    }

    [Test]
    public async Task A_slurm_step_cancelled_mid_scan_is_replaced_and_the_result_equals_an_undisturbed_scan()
    {
        var (disturbedReport, undisturbedReport) = (TempReport(), TempReport());
        var undisturbed = _cluster.RunAsync(Binaries.Coordinator, SlowScan(undisturbedReport));
        // -d logs every line a worker writes: its step is cancelled once it has reported ports, with filtered ones still in flight.
        await using var disturbed = _cluster.Start(Binaries.Coordinator, SlowScan(disturbedReport, "--launch", "slurm", "-d"));
        await disturbed.WaitForStderrAsync(ThirdWorkerReported(), Limit);
        var job = await _cluster.RunAsync("squeue", "-h", "-n", "portscan-w2", "-o", "%i");
        var jobId = job.Stdout.Trim();
        jobId.ShouldNotBeEmpty(job.ToString());

        (await _cluster.RunAsync("scancel", jobId)).ExitCode.ShouldBe(0);
        var run = await disturbed.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(0, run.ToString());
        (await undisturbed).ExitCode.ShouldBe(0);
        var json = JsonReport.Parse(File.ReadAllText(disturbedReport));
        ShouldEqual(json, JsonReport.Parse(File.ReadAllText(undisturbedReport)));
        ShouldBeTheLabsLayout(json);
        var attempts = json.Slices[2].Attempts;
        attempts.Count.ShouldBe(2, "the cancelled step and its replacement");
        attempts[0].Launch!.JobId.ShouldBe(jobId);
        attempts[1].Launch!.JobId.ShouldNotBe(jobId, "the replacement is another srun");
        attempts[1].Work.ShouldNotBe(attempts[0].Work, "the replacement scans only what was left");
        json.Slices.Take(2).ShouldAllBe(s => s.Attempts.Count == 1);
        await ShouldLeaveNoWorkerAsync();
    }

    [Test]
    public async Task A_worker_whose_ssh_connection_is_killed_mid_scan_is_replaced_on_the_next_host_and_the_result_equals_an_undisturbed_scan()
    {
        var (disturbedReport, undisturbedReport) = (TempReport(), TempReport());
        var undisturbed = _cluster.RunAsync(Binaries.Coordinator, SlowScan(undisturbedReport));
        await using var disturbed = _cluster.Start(Binaries.Coordinator, SlowScan(disturbedReport, [.. Ssh([.. _cluster.Nodes]), "-d"]));
        // The pid an attempt logs is the process started here: the ssh client carrying worker 2 (to node3).
        var ssh = int.Parse((await disturbed.WaitForStderrAsync(ThirdWorkerStarted(), Limit)).Groups[1].Value);
        await disturbed.WaitForStderrAsync(ThirdWorkerReported(), Limit);

        RunningProcess.Send(ssh, RunningProcess.SigKill);
        var run = await disturbed.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(0, run.ToString());
        (await undisturbed).ExitCode.ShouldBe(0);
        var json = JsonReport.Parse(File.ReadAllText(disturbedReport));
        ShouldEqual(json, JsonReport.Parse(File.ReadAllText(undisturbedReport)));
        ShouldBeTheLabsLayout(json);
        var attempts = json.Slices[2].Attempts;
        attempts.Select(a => a.Launch!.Host).ShouldBe([_cluster.Nodes[2], _cluster.Nodes[0]]);
        attempts[0].Pid.ShouldBe(ssh);
        attempts[0].ExitCode.ShouldBe(137);
        attempts[1].Work.ShouldNotBe(attempts[0].Work, "the replacement scans only what was left");
        // The remote worker only sees its stdin close (the issue measured it), and must end by itself.
        await ShouldLeaveNoWorkerAsync();
    }

    [TestCase("slurm")]
    [TestCase("ssh")]
    public async Task Ctrl_c_writes_a_partial_report_exits_130_and_leaves_no_worker_on_any_node(string launcher)
    {
        var report = TempReport();
        string[] launch = launcher == "slurm" ? ["--launch", "slurm"] : Ssh([.. _cluster.Nodes]);
        await using var scan = _cluster.Start(Binaries.Coordinator, SlowScan(report, [.. launch, "-d"]));
        await scan.WaitForStderrAsync(ThirdWorkerReported(), Limit);

        scan.Signal(RunningProcess.SigInt);
        var run = await scan.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(130, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Complete.ShouldBeFalse();
        var host = json.Hosts.ShouldHaveSingleItem();
        host.Counts.Unscanned.ShouldBeGreaterThan(0, "worker 2 had filtered ports left");
        host.Counts.Filtered.ShouldBeGreaterThan(0, "what worker 2 finished before it stopped is reported");
        host.Ports.Where(p => p.State != "unscanned").ShouldAllBe(p => p.State == _cluster.ExpectedState(p.Port).ToWireName());
        json.Slices.SelectMany(s => s.Attempts).ShouldAllBe(a => a.Launch!.Launcher == launcher);
        await ShouldLeaveNoWorkerAsync();
    }
}
