using System.Text.RegularExpressions;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// What a scan shows while it runs: nmap's --stats-every lines, and the progress bar beside log
/// lines on a terminal. The worker is a stand-in that takes its time and sends no probe.
/// </summary>
public partial class ProgressTests
{
    // Says it has 2.5 s of work left, and takes them.
    private const string Slow = """
        hello
        echo '{"type":"heartbeat","finished":0,"remainingMs":2500}'
        sleep 2.5
        """;

    [Test]
    public async Task Stats_every_prints_nmaps_status_lines_on_stderr_when_it_is_no_terminal()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(
            "scan", "127.0.0.1", "-p", "1", "-w", "1", "--stats-every", "1s", "--worker-path", WorkerDoubles.Scripted(Slow));

        exit.ShouldBe(0, stderr);
        stderr.ShouldMatch(@"(?m)^Stats: 0:00:0\d elapsed; 0 hosts completed \(0 up\), 1 undergoing Connect Scan$");
        // The ETA is the worker's: 2.5 s less the time since it said so, never the average so far (nothing is finished).
        stderr.ShouldMatch(@"(?m)^Connect Scan Timing: About 0\.00% done; ETA: \d\d:\d\d \(0:00:0[0-3] remaining\)$");
        stdout.ShouldNotContain("Stats:");
    }

    [TestCase("0")]
    [TestCase("soon")]
    public async Task A_stats_interval_that_is_not_a_duration_is_one_line_and_exit_2(string every)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "--stats-every", every);

        exit.ShouldBe(2, stderr);
        stderr.ShouldContain("--stats-every");
    }

    [Test]
    public async Task On_a_terminal_a_log_line_clears_the_progress_bar_and_the_bar_comes_back_after_it()
    {
        // script(1) gives the scan a pseudo-terminal. The worker changes its pace while the bar is up: -v logs that.
        var worker = WorkerDoubles.Scripted("""
            hello
            echo '{"type":"heartbeat","finished":0,"remainingMs":3000}'
            sleep 2.6
            echo '{"type":"rate","target":"127.0.0.1","rate":5,"reason":"a test"}'
            sleep 0.6
            """);
        var command = $"'{Binaries.Coordinator}' scan 127.0.0.1 -p 1 -w 1 -v --worker-path '{worker}'";

        var terminal = await PseudoTerminal.RunAsync(command);

        terminal.ExitCode.ShouldBe(0, terminal.ToString());
        var screen = terminal.Stdout;
        screen.ShouldMatch(@"ETA \d+:\d\d", "the bar was drawn");
        GluedLogLine().IsMatch(screen).ShouldBeFalse($"a log line ran into the bar: {screen}");
        screen.ShouldMatch(@"\x1b\[K\d\d:\d\d:\d\d\.\d{3} info: portscan\[0\] worker 0: 127\.0\.0\.1: at most 5 probes a second from now on: a test\r?\r?\n\[[#.]{30}\]",
            "the bar is cleared before the log line and drawn again after it");
    }

    [GeneratedRegex(@"ETA (\d+:\d\d|--:--)\d\d:\d\d:\d\d\.\d{3} ")]
    private static partial Regex GluedLogLine();
}
