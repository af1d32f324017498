using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Protocol;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// nmap's timing options and -T templates, read from the JSON report of a scan whose worker is a
/// stand-in that says hello, claims its one port and is done: no probe is ever sent.
/// </summary>
public class TimingOptionsTests
{
    private static async Task<JsonReport> ScanAsync(string options, string script = "hello")
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(
            ["scan", "127.0.0.1", "-p", "1", "-w", "1", "--format", "json", "--worker-path", WorkerDoubles.Scripted(script),
                .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        exit.ShouldBe(0, $"stderr: {stderr}");
        return JsonReport.Parse(stdout);
    }

    private static async Task<ProbeSettings> ProbesAsync(string options) => (await ScanAsync(options)).Probes;

    /// <summary>Concurrency 0 stands for the default, sized from the open-file limit.</summary>
    [TestCase("-T0", 100, 300_000, 300_000, 10, 1, 1 / 300.0)]
    [TestCase("-T1", 100, 15_000, 15_000, 10, 1, 1 / 15.0)]
    [TestCase("-T2", 100, 1000, 10_000, 10, 1, 2.5)]
    [TestCase("-T3", 100, 1000, 10_000, 10, 0, 0)]
    [TestCase("-T4", 100, 500, 1250, 6, 0, 0)]
    [TestCase("-T5", 50, 250, 300, 2, 0, 0, 900_000)]
    [TestCase("-T paranoid", 100, 300_000, 300_000, 10, 1, 1 / 300.0)]
    [TestCase("-Tsneaky", 100, 15_000, 15_000, 10, 1, 1 / 15.0)]
    [TestCase("--timing-template Polite", 100, 1000, 10_000, 10, 1, 2.5)]
    [TestCase("-T normal", 100, 1000, 10_000, 10, 0, 0)]
    [TestCase("-T AGGRESSIVE", 100, 500, 1250, 6, 0, 0)]
    [TestCase("--timing-template insane", 50, 250, 300, 2, 0, 0, 900_000)]
    [TestCase("", 100, 1000, 10_000, 10, 0, 0)]
    public async Task Each_timing_template_sets_nmaps_values(string options, int min, int initial, int max, int retries, int concurrency, double maxRate,
        int hostTimeoutMs = 0)
    {
        var probes = await ProbesAsync(options);

        probes.ShouldBe(new ProbeSettings(max, min, initial, retries, concurrency == 0 ? ScanDefaults.Concurrency : concurrency, maxRate, 0,
            HostTimeoutMs: hostTimeoutMs));
    }

    [TestCase("--min-rate 100", 100, 0, 0)]
    [TestCase("--min-rate 2.5 --max-rate 2.5", 2.5, 2.5, 0)]
    [TestCase("-T2 --min-rate 10", 10, 10, 0)]
    [TestCase("-T2 --min-rate 1", 1, 2.5, 0)]
    [TestCase("--host-timeout 30s", 0, 0, 30_000)]
    [TestCase("--host-timeout 1500", 0, 0, 1500)]
    [TestCase("-T5 --host-timeout 2m", 0, 0, 120_000)]
    [TestCase("-T5 --host-timeout 0", 0, 0, 0)]
    [TestCase("-T4", 0, 0, 0)]
    public async Task Min_rate_and_host_timeout_are_nmaps_and_a_templates_rate_gives_way_to_a_min_rate(string options, double minRate, double maxRate, int hostTimeoutMs)
    {
        var probes = await ProbesAsync(options);

        (probes.MinRate, probes.MaxRate, probes.HostTimeoutMs).ShouldBe((minRate, maxRate, hostTimeoutMs));
    }

    [TestCase("-T5 --max-rtt-timeout 2s --min-rtt-timeout 10ms --initial-rtt-timeout 400ms --max-retries 7 -c 3 --max-rate 50 --min-rate 20 --host-timeout 1m")]
    [TestCase("--timeout 2s --min-rtt-timeout 10ms --initial-rtt-timeout 400ms --max-retries 7 -c 3 --max-rate 50 --min-rate 20 --host-timeout 1m -T0")]
    public async Task Options_given_explicitly_override_the_template_wherever_they_stand(string options)
    {
        var probes = await ProbesAsync(options);

        probes.ShouldBe(new ProbeSettings(2000, 10, 400, 7, 3, 50, 0, MinRate: 20, HostTimeoutMs: 60_000));
    }

    [TestCase("--timeout 250ms", 250, 100, 250)]
    [TestCase("--max-rtt-timeout 50ms", 50, 50, 50)]
    [TestCase("-T5 --min-rtt-timeout 1s", 1000, 1000, 1000)]
    [TestCase("-T4 --initial-rtt-timeout 3s", 3000, 100, 3000)]
    public async Task A_template_value_gives_way_to_an_explicit_option_it_would_contradict(string options, int max, int min, int initial)
    {
        var probes = await ProbesAsync(options);

        (probes.TimeoutMs, probes.MinRttTimeoutMs, probes.InitialRttTimeoutMs).ShouldBe((max, min, initial));
    }

    [TestCase("--fixed-timeout --timeout 300ms", 300, 0)]
    [TestCase("--fixed-timeout --timeout 300ms --max-retries 2", 300, 2)]
    [TestCase("--fixed-timeout -T4", 1250, 0)]
    public async Task Fixed_timeout_waits_exactly_the_timeout_once_unless_retries_are_asked_for(string options, int timeout, int retries)
    {
        var probes = await ProbesAsync(options);

        (probes.TimeoutMs, probes.MinRttTimeoutMs, probes.InitialRttTimeoutMs, probes.MaxRetries).ShouldBe((timeout, timeout, timeout, retries));
    }

    [Test]
    public async Task The_text_header_says_which_timing_the_scan_uses()
    {
        var adaptive = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--worker-path", WorkerDoubles.Scripted("hello"));
        var fixedTimeout = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--fixed-timeout", "--timeout", "1s",
            "--worker-path", WorkerDoubles.Scripted("hello"));

        adaptive.Stdout.Split('\n')[0].ShouldEndWith("1 worker, timeout 100 ms–10 s adaptive, up to 10 retries");
        fixedTimeout.Stdout.Split('\n')[0].ShouldEndWith("1 worker, fixed timeout 1 s, no retries");
    }

    [Test]
    public async Task Each_worker_is_given_the_probe_settings_with_its_share_of_the_scans_rate()
    {
        var directory = TestTemp.Directory("arguments");

        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-2", "-w", "2", "-T2", "--format", "json",
            "--worker-path", WorkerDoubles.Scripted($"echo \"$args\" > '{directory.FullName}'/worker-$id\nhello"));

        exit.ShouldBe(0, stderr);
        foreach (var worker in new[] { 0, 1 })
        {
            var arguments = File.ReadAllText(Path.Combine(directory.FullName, $"worker-{worker}")).Trim();
            arguments.ShouldContain("--timeout-ms 10000 --min-rtt-ms 100 --initial-rtt-ms 1000 --max-retries 10 --concurrency 1");
            arguments.ShouldContain("--max-rate 1.25", customMessage: "-T2's 2.5 probes a second, shared by two workers");
        }
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Each_worker_is_given_its_share_of_the_min_rate_and_the_whole_host_timeout()
    {
        var directory = TestTemp.Directory("arguments");

        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-2", "-w", "2", "--min-rate", "300", "--host-timeout", "5s",
            "--format", "json", "--worker-path", WorkerDoubles.Scripted($"echo \"$args\" > '{directory.FullName}'/worker-$id\nhello"));

        exit.ShouldBe(0, stderr);
        foreach (var worker in new[] { 0, 1 })
        {
            var arguments = File.ReadAllText(Path.Combine(directory.FullName, $"worker-{worker}")).Trim();
            arguments.ShouldContain("--min-rate 150", customMessage: "300 probes a second at least, shared by two workers");
            arguments.ShouldContain("--host-timeout-ms 5000", customMessage: "a host's time is the host's, whichever worker scans it");
        }
        directory.Delete(recursive: true);
    }

    [TestCase("-T6", "-T '6' is not a timing template")]
    [TestCase("-Tfast", "-T 'fast' is not a timing template")]
    [TestCase("--timing-template", "")]
    [TestCase("--max-retries 60", "--max-retries '60' must be a whole number from 0 to 50")]
    [TestCase("--max-retries -1", "--max-retries")]
    [TestCase("--min-rtt-timeout 2s --max-rtt-timeout 1s", "the minimum RTT timeout (2000 ms) is longer than the maximum (1000 ms)")]
    [TestCase("--initial-rtt-timeout 50ms --min-rtt-timeout 100ms", "the initial RTT timeout (50 ms) must lie between")]
    [TestCase("--initial-rtt-timeout 2s --timeout 1s", "the initial RTT timeout (2000 ms) must lie between")]
    [TestCase("--fixed-timeout --min-rtt-timeout 10ms", "--fixed-timeout waits exactly --timeout")]
    [TestCase("--min-rtt-timeout soon", "--min-rtt-timeout: 'soon' is not a duration")]
    [TestCase("--max-worker-restarts 11", "--max-worker-restarts '11' must be a whole number from 0 to 10")]
    [TestCase("--min-rate 0", "--min-rate '0' must be a number above 0")]
    [TestCase("--min-rate fast", "--min-rate 'fast' must be a number above 0")]
    [TestCase("--min-rate 100 --max-rate 50", "--min-rate (100) is above --max-rate (50)")]
    [TestCase("-T2 --min-rate 10 --max-rate 5", "--min-rate (10) is above --max-rate (5)")]
    [TestCase("--host-timeout soon", "--host-timeout: 'soon' is not a duration")]
    [TestCase("--host-timeout -1s", "--host-timeout")]
    [TestCase("--host-timeout 2h", "--host-timeout")]
    public async Task Bad_timing_options_print_one_line_and_exit_2(string options, string message)
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(["scan", "127.0.0.1", "-p", "1", .. options.Split(' ')]);

        exit.ShouldBe(ExitCodes.BadInput, $"stderr: {stderr}");
        stderr.ShouldStartWith("portscan: ");
        stderr.ShouldContain(message);
        stderr.TrimEnd('\n').ShouldNotContain('\n', customMessage: "exactly one line");
        stdout.ShouldBeEmpty();
    }
}
