using System.Diagnostics;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Lab;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The --netns lab's hostile conditions: loss, a SYN-flood guard and latency, measured with plain
/// connects (root only), and their options (no root needed).
/// </summary>
public class HostileLabTests
{
    private const int ClosedPort = 33333;

    /// <summary>Below the kernel's first SYN retransmission (1 s), so each connect is exactly one SYN.</summary>
    private static readonly TimeSpan OneSyn = TimeSpan.FromMilliseconds(900);

    [Test]
    public async Task Loss_drops_packets_each_way_so_half_each_way_leaves_a_quarter_answered()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var perfect = await NamespaceLab.StartAsync(0, 0, 20000, CancellationToken.None);
        await using var lossy = await NamespaceLab.StartAsync(0, 0, 20000, new LabConditions(lossPercent: 50), CancellationToken.None);

        (await AnsweredAsync(perfect, 200, TimeSpan.FromMilliseconds(500))).ShouldBe(200);
        // The SYN and the RST each pass with 1/2: about 50 of 200 (sd 6); the bounds cannot flake.
        (await AnsweredAsync(lossy, 200, TimeSpan.FromMilliseconds(500))).ShouldBeInRange(20, 90);
    }

    [Test]
    public async Task Syn_limit_answers_about_the_burst_and_the_rate_of_a_thousand_syns_at_once()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(0, 0, 20000, new LabConditions(synLimit: 200), CancellationToken.None);

        // Burst 50 plus 200 a second over the time the thousand take to leave: measured 55.
        (await AnsweredAsync(lab, 1000, OneSyn)).ShouldBeInRange(20, 400);
    }

    [Test]
    public async Task Latency_delays_every_round_trip_and_without_it_a_connect_is_quick()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var quick = await NamespaceLab.StartAsync(1, 0, 20000, CancellationToken.None);
        await using var slow = await NamespaceLab.StartAsync(1, 0, 20000, new LabConditions(latency: TimeSpan.FromMilliseconds(100)), CancellationToken.None);
        await PortProbe.ConnectAsync(quick.Address, ClosedPort, OneSyn); // JIT the connect path before timing it

        foreach (var (port, state) in new[] { (ClosedPort, PortState.Closed), (20000, PortState.Open) })
        {
            var slowTimes = await TimedConnectsAsync(slow, port, state);
            slowTimes.ShouldAllBe(time => time >= 90, $"port {port}: the delay line never lets a packet leave early");
            Median(slowTimes).ShouldBeLessThan(300, $"port {port} with 100 ms latency");
            // Medians: a busy machine can stall any single connect.
            Median(await TimedConnectsAsync(quick, port, state)).ShouldBeLessThan(20, $"port {port} over a veth");
        }
    }

    [Test]
    public async Task Conditions_together_still_apply_over_the_delay_line()
    {
        NamespaceLabTests.RequireRootAndNft();
        var lab = await NamespaceLab.StartAsync(0, 0, 20000, new LabConditions(lossPercent: 50, synLimit: 200, latency: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        try
        {
            // A quarter pass the loss (about 250), and the guard lets through at most its burst and rate.
            (await AnsweredAsync(lab, 1000, OneSyn)).ShouldBeInRange(5, 150);
        }
        finally
        {
            await lab.DisposeAsync();
        }
        await NamespaceLabTests.ShouldBeGoneAsync(lab);
    }

    [TestCase("100", 100, 0)]
    [TestCase("100ms", 100, 0)]
    [TestCase("0.1s", 100, 0)]
    [TestCase("100±10", 100, 10)]
    [TestCase("100 +- 10ms", 100, 10)]
    [TestCase("1s+-250", 1000, 250)]
    [TestCase("0", 0, 0)]
    public void Latency_is_a_round_trip_with_an_optional_jitter(string text, double latencyMs, double jitterMs)
    {
        LabConditions.TryParseLatency(text, out var latency, out var jitter, out var error).ShouldBeTrue(error);

        latency.ShouldBe(TimeSpan.FromMilliseconds(latencyMs));
        jitter.ShouldBe(TimeSpan.FromMilliseconds(jitterMs));
    }

    private static readonly string[][] BadOptions =
    [
        ["lab", "--netns", "--loss", "100"],
        ["lab", "--netns", "--loss", "-1"],
        ["lab", "--netns", "--loss", "half"],
        ["lab", "--netns", "--syn-limit", "0"],
        ["lab", "--netns", "--syn-limit", "1.5"],
        ["lab", "--netns", "--latency", "11s"],
        ["lab", "--netns", "--latency", "-5"],
        ["lab", "--netns", "--latency", "10±20"],
        ["lab", "--netns", "--latency", "fast"],
        ["lab", "--loss", "5"],
        ["lab", "--syn-limit", "2000"],
        ["lab", "--latency", "100"],
    ];

    [TestCaseSource(nameof(BadOptions))]
    public async Task A_bad_condition_or_one_without_netns_is_one_line_and_exit_2(string[] args)
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(args);

        exit.ShouldBe(ExitCodes.BadInput, $"stderr: {stderr}");
        stderr.TrimEnd('\n').ShouldNotContain('\n', customMessage: "exactly one line");
        stderr.ShouldStartWith("portscan: ");
        stdout.ShouldBeEmpty();
    }

    /// <summary>Connects to a closed port, all at once: how many came back refused within <paramref name="timeout"/>.</summary>
    private static async Task<int> AnsweredAsync(NamespaceLab lab, int connects, TimeSpan timeout)
    {
        var states = await Task.WhenAll(Enumerable.Range(0, connects).Select(_ => PortProbe.ConnectAsync(lab.Address, ClosedPort, timeout)));
        return states.Count(state => state == PortState.Closed);
    }

    /// <summary>Five connects one after another, each in milliseconds.</summary>
    private static async Task<double[]> TimedConnectsAsync(NamespaceLab lab, int port, PortState expected)
    {
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            (await PortProbe.ConnectAsync(lab.Address, port, OneSyn)).ShouldBe(expected, $"{lab.Address} port {port}");
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        return times;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
