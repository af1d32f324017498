using System.Net;
using System.Text.Json;
using PortScan.Coordinator.Lab;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>The worker executable, run directly against a lab the test opened.</summary>
public class WorkerBinaryTests
{
    private static Task<ProcessRun> ScanAsync(LabTarget lab, int concurrency, int timeoutMs = 200) =>
        Binaries.WorkerAsync(
            "--target", lab.Address.ToString(),
            "--ports", lab.Ports.ToString(),
            "--timeout-ms", timeoutMs.ToString(),
            "--concurrency", concurrency.ToString(),
            "--worker-id", "7");

    private static List<WorkerMessage> Messages(ProcessRun run) =>
        run.StdoutLines.Select(line =>
        {
            ProtocolCodec.TryParse(line, out var message, out var error).ShouldBeTrue($"not a protocol message ({error}): {line}");
            return message!;
        }).ToList();

    private static Dictionary<int, PortState> States(IEnumerable<WorkerMessage> messages)
    {
        var states = new Dictionary<int, PortState>();
        foreach (var ports in messages.OfType<PortsMessage>())
        {
            foreach (var (port, state) in ports.Open.Select(p => (p.Port, PortState.Open))
                .Concat(ports.Closed.Select(p => (p, PortState.Closed)))
                .Concat(ports.Filtered.Select(p => (p, PortState.Filtered))))
            {
                states.TryAdd(port, state).ShouldBeTrue($"port {port} reported twice");
            }
        }
        return states;
    }

    [TestCase(1000)]
    [TestCase(1)]
    public async Task Reports_every_port_of_its_slice_exactly_once_with_the_right_state(int concurrency)
    {
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 2);

        var run = await ScanAsync(lab, concurrency);

        run.ExitCode.ShouldBe(0, run.ToString());
        foreach (var line in run.StdoutLines)
        {
            Should.NotThrow(() => JsonDocument.Parse(line), $"every stdout line is JSON: {line}");
        }
        var messages = Messages(run);
        // Run by hand with only --timeout-ms, a worker takes nmap's other defaults, clamped to its timeout; it names its host.
        messages[0].ShouldBe(new HelloMessage(ProtocolCodec.Version, 7, ((HelloMessage)messages[0]).Pid, $"127.0.0.1 {lab.Ports}",
            new ProbeSettings(200, ProbeSettings.DefaultMinRttTimeoutMs, 200, ProbeSettings.DefaultMaxRetries, concurrency),
            Environment.MachineName, Environment.GetEnvironmentVariable("SLURMD_NODENAME"),
            Environment.GetEnvironmentVariable("SLURM_JOB_ID"), Environment.GetEnvironmentVariable("SLURM_STEP_ID")));
        messages[^1].ShouldBe(new DoneMessage(3, 6, 2, 0, ((DoneMessage)messages[^1]).ElapsedMs));
        var states = States(messages);
        states.Keys.Order().ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count));
        states.ShouldAllBe(pair => pair.Value == lab.ExpectedState(pair.Key));
    }

    [Test]
    public async Task Scans_ipv6_loopback()
    {
        LabTarget lab;
        try
        {
            lab = TestLab.Start(open: 2, closed: 2, filtered: 1, IPAddress.IPv6Loopback);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Assert.Ignore($"::1 is not usable here: {e.Message}");
            return;
        }
        await using (lab)
        {
            var run = await ScanAsync(lab, 100);

            run.ExitCode.ShouldBe(0, run.ToString());
            States(Messages(run)).ShouldAllBe(pair => pair.Value == lab.ExpectedState(pair.Key));
        }
    }

    [Test]
    public async Task A_stop_line_on_stdin_ends_a_supervised_worker_with_its_finished_ports_reported()
    {
        // Filtered ports at a fixed 30 s, five at a time: unstopped, the worker would run two minutes.
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 20);
        var (open, closed) = (lab.Open!.Value, lab.Closed!.Value);
        await using var worker = RunningProcess.Start(Binaries.Worker,
            "--target", lab.Address.ToString(), "--ports", lab.Ports.ToString(), "--timeout-ms", "30000", "--min-rtt-ms", "30000",
            "--initial-rtt-ms", "30000", "--max-retries", "0", "--concurrency", "5", "--supervised");
        await worker.WaitForStdoutAsync(new System.Text.RegularExpressions.Regex($@"""closed"":\[[^\]]*\b{closed.End}\b"), TimeSpan.FromMinutes(1));

        worker.WriteLine(ProtocolCodec.Serialize(new StopMessage()));
        var run = await worker.WaitForExitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(143, run.ToString());
        var messages = Messages(run);
        messages[^1].ShouldBe(new ErrorMessage("stopped by a stop line from the coordinator before all its ports were scanned"));
        var states = States(messages);
        states.ShouldAllBe(pair => pair.Value == lab.ExpectedState(pair.Key));
        foreach (var port in Enumerable.Range(open.Start, open.Count + closed.Count))
        {
            states.ShouldContainKey(port, "open and closed ports were finished before the stop, and are reported");
        }
        states.Count.ShouldBeLessThan(lab.Ports.Count, "the filtered ports' 30 s were cut short");
    }

    [Test]
    public async Task Bad_arguments_give_one_line_and_exit_2()
    {
        var run = await Binaries.WorkerAsync("--target", "127.0.0.1", "--ports", "9");

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.Trim().ShouldNotContain('\n');
        run.Stderr.ShouldStartWith("portscan-worker: ");
    }
}
