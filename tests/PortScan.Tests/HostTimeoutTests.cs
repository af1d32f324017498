using System.Xml.Linq;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// --host-timeout against a lab the test opens on loopback: open and closed ports first, then
/// filtered ones that each cost the fixed timeout, one at a time, so the host's time runs out among them.
/// </summary>
public class HostTimeoutTests
{
    [Test]
    public async Task A_host_timeout_keeps_the_ports_decided_before_it_and_reports_the_rest_unscanned_in_every_format()
    {
        // 20 filtered ports at 300 ms each, one at a time, are 6 s of work: a 1 s host timeout always
        // cuts them short, and a slow machine only leaves more of them unscanned.
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 20);
        var directory = TestTemp.Directory("host-timeout");
        var report = Path.Combine(directory.FullName, "scan");

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", "-w", "1", "-c", "1",
            "--fixed-timeout", "--timeout", "300ms", "--host-timeout", "1s", "--show-closed",
            "--format", "json", "-o", report + ".json", "-oX", report + ".xml", "-oG", report + ".gnmap");

        run.ExitCode.ShouldBe(0, $"a host timeout is what the user asked for, as with nmap\n{run}");
        var json = JsonReport.Parse(File.ReadAllText(report + ".json"));
        json.Complete.ShouldBeTrue("nothing was lost to a failure: the unscanned ports were given up on request");
        json.Probes.HostTimeoutMs.ShouldBe(1000);
        var host = json.Hosts[0];
        host.TimedOut.ShouldBeTrue();
        foreach (var port in host.Ports.Where(p => lab.ExpectedState(p.Port) != PortState.Filtered))
        {
            port.State.ShouldBe(lab.ExpectedState(port.Port).ToWireName(), $"port {port.Port} answered at once, before the timeout");
        }
        var filtered = host.Ports.Where(p => lab.ExpectedState(p.Port) == PortState.Filtered).ToList();
        var decided = filtered.TakeWhile(p => p.State == "filtered").Count();
        filtered.Skip(decided).ShouldAllBe(p => p.State == "unscanned", "ports are probed in order: those decided come first, the rest are unscanned");
        decided.ShouldBeLessThan(filtered.Count, "the host's time ran out among its filtered ports");
        (host.Counts.Open, host.Counts.Closed, host.Counts.Filtered, host.Counts.Unscanned).ShouldBe((2, 3, decided, filtered.Count - decided));

        run.Stdout.ShouldContain($"Skipping host 127.0.0.1 due to host timeout: {filtered.Count - decided} of 25 ports left unscanned");
        (await NmapDtd.ValidateAsync(report + ".xml")).ExitCode.ShouldBe(0, "the XML stays valid against nmap.dtd");
        var xmlHost = XDocument.Load(report + ".xml").Root!.Element("host")!;
        xmlHost.Attribute("timedout")?.Value.ShouldBe("true", "nmap's own attribute for a host that timed out");
        xmlHost.Descendants("extrareasons").ShouldContain(e => e.Attribute("reason")!.Value == "host-timeout");
        var grepable = File.ReadAllText(report + ".gnmap");
        grepable.ShouldContain("Host: 127.0.0.1 ()\tStatus: Timeout", customMessage: "nmap's grepable status for a host that timed out");
        grepable.ShouldContain($"# 127.0.0.1: {filtered.Count - decided} ports unscanned (host timeout): ");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task A_host_timeout_longer_than_the_scan_changes_nothing()
    {
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 2);

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", "-w", "2",
            "--fixed-timeout", "--timeout", "200ms", "--host-timeout", "10m", "--show-closed", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = JsonReport.Parse(run.Stdout).Hosts[0];
        host.TimedOut.ShouldBeFalse();
        host.Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());
    }

    private const string GiveUp = """echo "{\"type\":\"hostTimeout\",\"target\":\"$target\"}" """;

    private const string Done = """echo '{"type":"done","open":0,"closed":0,"filtered":0,"openFiltered":0,"elapsedMs":1}'; exit 0""";

    [Test]
    public async Task The_first_worker_to_give_a_host_up_stops_it_in_the_others_and_no_replacement_scans_it_again()
    {
        // Worker 1 gives the host up at once; worker 0 decides one port, then waits for the coordinator's word.
        var script = $$"""
            hello
            if [ "$id" = 1 ]; then {{GiveUp}}; {{Done}}; fi
            read line
            case "$line" in *hostTimeout*) ;; *) exit 3 ;; esac
            echo "{\"type\":\"ports\",\"target\":\"$target\",\"transport\":\"tcp\",\"open\":[],\"closed\":[$first],\"filtered\":[],\"openFiltered\":[]}"
            {{GiveUp}}
            {{Done}}
            """;

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-4", "-w", "2", "--host-timeout", "1s",
            "--format", "json", "--show-closed", "--worker-path", WorkerDoubles.Scripted(script));

        exit.ShouldBe(ExitCodes.Success, stderr);
        var report = JsonReport.Parse(stdout);
        report.Complete.ShouldBeTrue();
        report.Hosts[0].TimedOut.ShouldBeTrue();
        report.Hosts[0].Ports.Select(p => (p.Port, p.State)).ShouldBe([(1, "closed"), (2, "unscanned"), (3, "unscanned"), (4, "unscanned")]);
        report.Slices.ShouldAllBe(s => s.Attempts.Count == 1 && s.Failure == null || s.Failure == "host timeout");
        stderr.ShouldNotContain("replacement");
    }

    [Test]
    public async Task A_worker_that_reports_a_port_of_a_host_it_gave_up_is_not_believed()
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--host-timeout", "1s",
            "--format", "json", "--show-closed", "--worker-path", WorkerDoubles.Scripted($"hello\n{GiveUp}"));

        run.Stderr.ShouldContain("after giving the host up");
        JsonReport.Parse(run.Stdout).Hosts[0].Ports.ShouldHaveSingleItem().State.ShouldBe("unscanned");
    }

    [Test]
    public async Task A_worker_that_gives_up_a_host_in_a_scan_without_host_timeout_is_not_believed()
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.Scripted($"hello\n{GiveUp}\n{Done}"));

        run.ExitCode.ShouldBe(ExitCodes.ScanFailed, run.ToString());
        run.Stderr.ShouldContain("but the scan has no --host-timeout");
    }
}
