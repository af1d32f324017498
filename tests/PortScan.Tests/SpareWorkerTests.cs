using System.Text.RegularExpressions;
using PortScan.Coordinator.Launching;
using PortScan.Shared.Protocol;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The spare worker: started with the coordinator, before the slice it will scan exists, and given
/// its arguments as its first stdin line (docs/protocol.md, "A spare worker").
/// </summary>
public partial class SpareWorkerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Test]
    public void The_arguments_line_carries_every_argument_unchanged()
    {
        string[] arguments = ["--target", "127.0.0.1", "--ports", "1-3", "--version-db", "/tmp/a \"quoted\" dir/ünïcode\\db.txt", "", "--supervised"];

        var line = SpareArguments.Line(arguments);

        line.ShouldNotContain("\n");
        SpareArguments.TryRead(line, out var read).ShouldBeTrue(line);
        read.ShouldBe(arguments);
    }

    [TestCase("")]
    [TestCase("{}")]
    [TestCase("{\"type\":\"stop\"}")]
    [TestCase("{\"type\":\"arguments\"}")]
    [TestCase("{\"arguments\":[\"--target\"]}")]
    [TestCase("{\"type\":\"arguments\",\"arguments\":[\"--target\",1]}")]
    [TestCase("{\"type\":\"arguments\",\"arguments\":[\"--target\"],\"extra\":1}")]
    [TestCase("{\"type\":\"arguments\",\"arguments\":[\"--target\"]} {}")]
    [TestCase("{\"type\":\"arguments\",\"arguments\":[\"--target\"")]
    [TestCase("--target 127.0.0.1")]
    public void Any_other_line_is_not_an_arguments_line(string line)
    {
        SpareArguments.TryRead(line, out var read).ShouldBeFalse();
        read.ShouldBeEmpty();
    }

    [Test]
    public async Task A_spare_scans_the_slice_its_first_line_gives_it()
    {
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 1);
        await using var spare = RunningProcess.Start(Binaries.Worker, SpareArguments.Flag);

        spare.WriteLine(SpareArguments.Line(["--target", "127.0.0.1", "--ports", lab.Ports.ToString(), "--timeout-ms", "200",
            "--concurrency", "10", "--worker-id", "3", "--supervised"]));
        var done = await spare.WaitForStdoutAsync(DoneLine(), Limit);
        spare.CloseStandardInput();
        var run = await spare.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(0, run.ToString());
        ProtocolCodec.TryParse(run.StdoutLines[0], out var hello, out _).ShouldBeTrue(run.ToString());
        hello.ShouldBeOfType<HelloMessage>().Worker.ShouldBe(3);
        ((HelloMessage)hello!).Work.ShouldBe($"127.0.0.1 {lab.Ports}");
        ProtocolCodec.TryParse(done.Value, out var message, out _).ShouldBeTrue(done.Value);
        message.ShouldBe(new DoneMessage(2, 3, 1, 0, ((DoneMessage)message!).ElapsedMs));
    }

    [Test]
    public async Task A_spare_whose_coordinator_needs_no_worker_exits_without_a_word()
    {
        await using var spare = RunningProcess.Start(Binaries.Worker, SpareArguments.Flag);

        spare.CloseStandardInput();
        var run = await spare.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(129, run.ToString());
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldBeEmpty();
    }

    [TestCase("{\"type\":\"stop\"}")]
    [TestCase("--target 127.0.0.1 --ports 1")]
    public async Task A_spare_given_anything_but_its_arguments_says_so_in_one_line_and_exits_2(string line)
    {
        await using var spare = RunningProcess.Start(Binaries.Worker, SpareArguments.Flag);

        spare.WriteLine(line);
        var run = await spare.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stdout.ShouldBeEmpty();
        run.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("first line");
    }

    [Test]
    public async Task A_spare_given_bad_arguments_says_which_and_exits_2()
    {
        await using var spare = RunningProcess.Start(Binaries.Worker, SpareArguments.Flag);

        spare.WriteLine(SpareArguments.Line(["--target", "127.0.0.1", "--ports", "1", "--frobnicate", "1"]));
        var run = await spare.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.Trim().ShouldBe("portscan-worker: unknown option '--frobnicate'");
    }

    [TestCase("--help")]
    [TestCase("scan", "--help")]
    [TestCase("-V")]
    [TestCase("plan", "127.0.0.1", "-p", "1")]
    [TestCase("lab")]
    [TestCase("resume", "x.journal")]
    [TestCase("scan", "127.0.0.1", "-p", "1", "--worker-path", "/bin/true")]
    [TestCase("127.0.0.1", "-p", "1", "--worker-path=/bin/true")]
    [TestCase("127.0.0.1", "-p", "1", "--launch", "ssh", "--hosts", "localhost")]
    public void Only_a_scan_with_this_machines_worker_gets_a_spare(params string[] args)
    {
        using var spare = SpareWorker.For(args);

        spare.ShouldBeNull();
    }

    [Test]
    public async Task The_first_worker_of_a_scan_runs_in_the_spare()
    {
        await using var lab = TestLab.Start(open: 1, closed: 2, filtered: 0);

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", lab.Ports.ToString(), "-w", "2", "--no-progress", "-vv", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        var spare = SpareLog().Match(run.Stderr);
        spare.Success.ShouldBeTrue(run.Stderr);
        spare.Groups["worker"].Value.ShouldBe("0");
        run.Stderr.ShouldContain($"worker 0: attempt 1 started pid {spare.Groups["pid"].Value} ");
        SpareLog().Count(run.Stderr).ShouldBe(1, "one spare, for the first worker only");
        run.Stdout.ShouldContain("\"open\": 1");
    }

    [Test]
    public async Task Bad_input_leaves_no_spare_behind()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using var coordinator = RunningProcess.StartWith(new Dictionary<string, string> { ["PORTSCAN_TEST_MARKER"] = marker },
            Binaries.Coordinator, "scan", "127.0.0.1", "-p", "99999");

        var run = await coordinator.WaitForExitAsync(Limit);

        run.ExitCode.ShouldBe(2, run.ToString());
        ProcessesMarked(marker).ShouldBeEmpty("the spare started for the scan is killed and waited for");
    }

    /// <summary>Processes whose environment holds the marker: every process the coordinator started inherits it.</summary>
    private static List<string> ProcessesMarked(string marker)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(directory)}: {File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's.
            }
        }
        return found;
    }

    [GeneratedRegex("""^\{"type":"done".*$""", RegexOptions.Multiline)]
    private static partial Regex DoneLine();

    [GeneratedRegex(@"worker (?<worker>\d+): runs in the spare worker started with the coordinator, pid (?<pid>\d+)")]
    private static partial Regex SpareLog();
}
