using System.Text.RegularExpressions;
using PortScan.Coordinator.Lab;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Resumable scans with a real coordinator process: killed with SIGKILL or stopped with Ctrl-C mid-scan,
/// then <c>portscan resume</c> from its journal, against a loopback lab the test opened.
/// </summary>
public partial class ResumeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    // Filtered ports at a fixed 1 s timeout, two at a time a worker, keep the scan going for seconds after
    // its open and closed ports are journaled: the window to kill it.
    private static readonly string[] Slow = ["-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "1s", "--show-closed"];

    [GeneratedRegex(@"resuming from '[^']+': (\d+) of (\d+) host-ports are in it")]
    private static partial Regex Resuming();

    private static string[] ScanArguments(LabTarget lab, string report, string schedule = "block") =>
        ["scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", .. Slow, "--schedule", schedule, "--format", "json", "-o", report];

    private static string JournalOf(string report) => Path.ChangeExtension(report, ".journal");

    /// <summary>Starts the scan, waits until its journal holds a result line (the header is 4 lines), then sends it <paramref name="signal"/>.</summary>
    private static async Task<ProcessRun> StopMidScanAsync(LabTarget lab, string report, int signal, string schedule = "block")
    {
        await using var scan = RunningProcess.Start(Binaries.Coordinator, ScanArguments(lab, report, schedule));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(JournalOf(report)) || File.ReadAllLines(JournalOf(report)).Length < 5)
        {
            scan.HasExited.ShouldBeFalse($"the scan ended before its journal held a result: {scan.Stderr}");
            stopwatch.Elapsed.ShouldBeLessThan(Limit, "no result reached the journal");
            await Task.Delay(20);
        }
        scan.Signal(signal);
        return await scan.WaitForExitAsync(Limit);
    }

    private static string NewReport(string purpose) => Path.Combine(TestTemp.Directory(purpose).FullName, "scan.json");

    private static IEnumerable<(int, string, string, string)> PortsOf(JsonReport report) =>
        report.Hosts.ShouldHaveSingleItem().Ports.Select(p => (p.Port, p.Protocol, p.State, p.Reason));

    [TestCase("block")]
    [TestCase("dynamic:2")]
    public async Task A_scan_killed_mid_way_and_resumed_reports_what_an_undisturbed_scan_reports(string schedule)
    {
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var (disturbed, undisturbed) = (NewReport("resume"), NewReport("resume-undisturbed"));
        var reference = Binaries.PortScanAsync(ScanArguments(lab, undisturbed, schedule));

        var killed = await StopMidScanAsync(lab, disturbed, RunningProcess.SigKill, schedule);
        var resumed = await Binaries.PortScanAsync("resume", JournalOf(disturbed));
        (await reference).ExitCode.ShouldBe(0);

        killed.ExitCode.ShouldBe(137, "SIGKILL, not a stop the coordinator could prepare for");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        var restored = Resuming().Match(resumed.Stderr);
        restored.Success.ShouldBeTrue(resumed.Stderr);
        int.Parse(restored.Groups[1].Value).ShouldBeInRange(1, 20, "some results, not all, came from the journal");
        var expected = JsonReport.Parse(File.ReadAllText(undisturbed));
        var actual = JsonReport.Parse(File.ReadAllText(disturbed));
        actual.Complete.ShouldBeTrue();
        actual.Hosts[0].Counts.ShouldBe(expected.Hosts[0].Counts);
        actual.Hosts[0].Counts.ShouldBe(new JsonCounts(3, 6, 12, 0, 0));
        PortsOf(actual).ShouldBe(PortsOf(expected));
        File.Exists(JournalOf(disturbed)).ShouldBeFalse("a complete scan needs its journal no more");
    }

    [Test]
    public async Task Ctrl_C_says_how_to_resume_and_nmaps_resume_spelling_takes_the_report_file()
    {
        await using var lab = TestLab.Start(open: 2, closed: 4, filtered: 12);
        var report = NewReport("resume-interrupt");

        var stopped = await StopMidScanAsync(lab, report, RunningProcess.SigInt);
        var resumed = await Binaries.PortScanAsync("--resume", report);

        stopped.ExitCode.ShouldBe(130);
        stopped.Stderr.ShouldContain($"to scan only what is left: ", Case.Sensitive, stopped.Stderr);
        stopped.Stderr.ShouldContain($" resume {JournalOf(report)}\n");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        JsonReport.Parse(File.ReadAllText(report)).Hosts[0].Counts.ShouldBe(new JsonCounts(2, 4, 12, 0, 0));
    }

    [Test]
    public async Task A_journal_cut_short_in_its_last_line_resumes_without_that_line()
    {
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var report = NewReport("resume-cut");
        await StopMidScanAsync(lab, report, RunningProcess.SigKill);
        // What a SIGKILL in the middle of a write leaves: the start of a line, no newline.
        await File.AppendAllTextAsync(JournalOf(report), $"filtered 127.0.0.1 tcp {lab.Ports.End}");

        var resumed = await Binaries.PortScanAsync("resume", JournalOf(report));

        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        resumed.Stderr.ShouldContain("incomplete last line");
        JsonReport.Parse(File.ReadAllText(report)).Hosts[0].Counts.ShouldBe(new JsonCounts(3, 6, 12, 0, 0));
    }

    [TestCase("args", "the header")]
    [TestCase("result", "line 5 ")]
    [TestCase("cut", "line 5 ")]
    public async Task A_tampered_or_damaged_journal_is_refused_and_nothing_is_scanned(string damage, string named)
    {
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var report = NewReport("resume-tampered");
        await StopMidScanAsync(lab, report, RunningProcess.SigKill);
        var journal = JournalOf(report);
        var lines = File.ReadAllLines(journal).ToList();
        lines.Count.ShouldBeGreaterThanOrEqualTo(5);
        lines.Add(lines[4]); // a last line that checks out, so only the damage below can be refused
        switch (damage)
        {
            case "args":
                lines[2] = lines[2].Replace($"{lab.Ports.End}", $"{lab.Ports.End - 1}", StringComparison.Ordinal);
                break;
            case "result":
                lines[4] = lines[4].Replace("127.0.0.1", "127.0.0.2", StringComparison.Ordinal);
                break;
            default:
                lines[4] = lines[4][..(lines[4].Length / 2)];
                break;
        }
        await File.WriteAllLinesAsync(journal, lines);

        var resumed = await Binaries.PortScanAsync("resume", journal);

        resumed.ExitCode.ShouldBe(2, resumed.ToString());
        resumed.Stderr.ShouldStartWith($"portscan: cannot resume from '{journal}': ");
        resumed.Stderr.ShouldContain(named);
        resumed.Stderr.Trim().Split('\n').Length.ShouldBe(1, "one line");
        File.Exists(report).ShouldBeFalse("nothing was scanned, so no report was written");
    }

    [Test]
    public async Task A_new_scan_does_not_overwrite_the_journal_of_one_that_did_not_finish()
    {
        await using var lab = TestLab.Start(open: 1, closed: 1, filtered: 0);
        var report = NewReport("resume-exists");
        await File.WriteAllTextAsync(JournalOf(report), "portscan journal 1\n");

        var run = await Binaries.PortScanAsync(ScanArguments(lab, report));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("is the journal of a scan that did not finish");
        File.Exists(report).ShouldBeFalse();
    }
}
