using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>The portscan executable, end to end with real worker processes, against a lab the test opened.</summary>
public class CoordinatorEndToEndTests
{
    [Test]
    public async Task Json_report_has_the_exact_open_set_and_counts_with_several_workers()
    {
        await using var lab = TestLab.Start(open: 4, closed: 40, filtered: 3);

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}",
            "-w", "4", "--timeout", "250ms", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        var report = JsonReport.Parse(run.Stdout);
        report.Scanner.ShouldBe("portscan");
        report.Complete.ShouldBeTrue();
        report.Workers.ShouldBe(4);
        report.Probes.TimeoutMs.ShouldBe(250);
        report.Probes.InitialRttTimeoutMs.ShouldBe(250, "the default initial 1 s gives way to a shorter --timeout");
        report.MaxWorkerRestarts.ShouldBe(2);
        var host = report.Hosts.ShouldHaveSingleItem();
        var network = host.Network.ShouldNotBeNull("the workers timed the answers of the open and closed ports");
        network.RttSamples.ShouldBeGreaterThan(0);
        network.SrttMs.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(0);
        network.Probes.ShouldBeGreaterThanOrEqualTo(lab.Ports.Count, "every port was probed at least once");
        network.Retries.ShouldBeLessThanOrEqualTo(network.Probes);
        host.Address.ShouldBe("127.0.0.1");
        host.Ports.Select(p => p.Port).ShouldBe(Enumerable.Range(lab.Open!.Value.Start, 4));
        host.Ports.ShouldAllBe(p => p.State == "open" && p.Protocol == "tcp" && p.RttMs >= 0);
        host.Counts.ShouldBe(new JsonCounts(4, 40, 3, 0, 0));
        report.Slices.Count.ShouldBe(4);
        report.Slices.ShouldAllBe(s => s.ExitCode == 0 && s.Pid > 0);
        report.Slices.Sum(s => s.Open + s.Closed + s.Filtered).ShouldBe(lab.Ports.Count);
        report.Slices[0].Work.ShouldStartWith($"127.0.0.1 {lab.Ports.Start}-");
        report.Slices[^1].Work.ShouldEndWith($"-{lab.Ports.End}");
    }

    [Test]
    public async Task Text_output_lists_open_ports_and_totals_and_show_closed_lists_every_port()
    {
        await using var lab = TestLab.Start(open: 2, closed: 5, filtered: 1);
        string[] ports = ["--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}", "-w", "3", "--timeout", "200"];

        var run = await Binaries.PortScanAsync(["scan", "--hostname", "localhost", .. ports]);
        var all = await Binaries.PortScanAsync(["scan", "--hostname", "localhost", .. ports, "--show-closed"]);

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdoutLines;
        lines[0].ShouldStartWith("Scanning localhost (127.0.0.1)");
        lines.Count(l => l.StartsWith("Discovered open port ", StringComparison.Ordinal) && l.EndsWith("/tcp on 127.0.0.1", StringComparison.Ordinal)).ShouldBe(2);
        lines.ShouldContain("portscan scan report for localhost (127.0.0.1)");
        lines.ShouldContain("Not shown: 5 closed tcp ports (conn-refused)", "the most common of closed and filtered is folded, as nmap does");
        PortLines(lines).Count.ShouldBe(3, "the two open ports and the one filtered port are listed");
        lines.ShouldContain("2 open, 5 closed, 1 filtered");
        lines.ShouldContain(l => l.StartsWith("Network: srtt ", StringComparison.Ordinal), "what the network did, after the host's port table");
        lines.ShouldContain(l => l.StartsWith($"Scanned {lab.Ports.Count} of {lab.Ports.Count} ports", StringComparison.Ordinal));

        all.ExitCode.ShouldBe(0, all.ToString());
        var everyPort = PortLines(all.StdoutLines);
        everyPort.Count.ShouldBe(lab.Ports.Count);
        everyPort.Count(l => l.Contains(" open", StringComparison.Ordinal)).ShouldBe(2);
        everyPort.Count(l => l.Contains(" filtered", StringComparison.Ordinal)).ShouldBe(1);
        all.StdoutLines.ShouldNotContain(l => l.StartsWith("Not shown", StringComparison.Ordinal));
    }

    private static List<string> PortLines(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]) && l.Contains("/tcp ", StringComparison.Ordinal))];

    [Test]
    public async Task Output_file_is_written_whole_and_stdout_still_shows_the_scan()
    {
        await using var lab = TestLab.Start(open: 1, closed: 3, filtered: 0);
        var directory = TestTemp.Directory("test");
        var path = Path.Combine(directory.FullName, "report.json");

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}",
            "--format", "json", "-o", path);

        run.ExitCode.ShouldBe(0, run.ToString());
        JsonReport.Parse(File.ReadAllText(path)).Hosts[0].Counts.ShouldBe(new JsonCounts(1, 3, 0, 0, 0));
        directory.GetFiles().Select(f => f.Name).ShouldBe(["report.json"], "no temporary file left behind");
        run.Stdout.ShouldContain($"{lab.Open!.Value.Start}/tcp");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Verbose_logs_each_worker_on_stderr_only()
    {
        await using var lab = TestLab.Start(open: 1, closed: 5, filtered: 0);

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}",
            "-w", "2", "-v", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        JsonReport.Parse(run.Stdout).Slices.Count.ShouldBe(2, "stdout holds only the JSON document");
        run.Stderr.ShouldContain("worker 0: attempt 1 started pid");
        run.Stderr.ShouldContain("worker 1: attempt 1, pid");
        run.Stderr.ShouldContain("exited with code 0");
    }
}
