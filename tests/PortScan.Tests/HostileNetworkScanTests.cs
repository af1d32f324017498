using System.Globalization;
using System.Text.RegularExpressions;
using PortScan.Coordinator.Lab;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Port states are claims that must hold on a network that loses packets, limits SYNs and has real
/// latency: scans of --netns lab hosts (root only) with each condition, every port checked.
/// The lab: 2,000 ports, 20000–20009 open, 20010–20999 filtered, 21000–21999 closed.
/// </summary>
public partial class HostileNetworkScanTests
{
    private const int FirstPort = 20000;
    private const int Open = 10;
    private const int Filtered = 990;
    private const string Ports = "20000-21999";

    [Test]
    public async Task Every_port_is_right_at_five_percent_loss_each_way_in_three_scans_running()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(Open, Filtered, FirstPort, new LabConditions(lossPercent: 5), CancellationToken.None);

        for (var scan = 1; scan <= 3; scan++)
        {
            var (report, _) = await ScanAsync(lab);
            ShouldBeExact(report, lab, $"scan {scan} at 5 % loss");
            // Its drops may all have been refunded (lost while the pace was still being tested), but
            // the canaries measured the loss: silent ports get more than one retry.
            report.Hosts[0].Network.ShouldNotBeNull().Tries.ShouldBeGreaterThan(2, "a lossy host's silent ports get more than one retry");
        }
    }

    [Test]
    public async Task Every_port_is_right_behind_a_syn_flood_guard_and_the_pace_cut_is_logged()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(Open, Filtered, FirstPort, new LabConditions(synLimit: 1000), CancellationToken.None);

        var (report, stderr) = await ScanAsync(lab, "-v");

        ShouldBeExact(report, lab, "behind a limit of 1,000 SYNs a second");
        stderr.ShouldContain("cut to", customMessage: "-v logs when a host's pace is cut, and why");
    }

    [Test]
    public async Task Every_port_is_right_behind_a_syn_flood_guard_with_a_min_rate_above_it_and_no_pace_goes_below_the_min_rate()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(Open, Filtered, FirstPort, new LabConditions(synLimit: 1000), CancellationToken.None);

        // Two workers, 1,500 probes a second each at least: three times what the guard lets through.
        var (report, stderr) = await ScanAsync(lab, "-v", "-w", "2", "--min-rate", "3000");

        ShouldBeExact(report, lab, "behind a limit of 1,000 SYNs a second, made to send 3,000");
        report.Probes.MinRate.ShouldBe(3000);
        var paces = LoggedPace().Matches(stderr).Select(m => double.Parse(m.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
        paces.ShouldAllBe(pace => pace >= 1500, "a pace is cut to a worker's share of --min-rate at the lowest");
    }

    /// <summary>The coordinator's -v line for a worker's change of pace to a host.</summary>
    [GeneratedRegex(@"at most ([\d,.]+) probes a second from now on")]
    private static partial Regex LoggedPace();

    [Test]
    public async Task Timeouts_converge_on_the_round_trip_of_a_lab_with_100_ms_latency()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(Open, Filtered, FirstPort, new LabConditions(latency: TimeSpan.FromMilliseconds(100)), CancellationToken.None);

        var (report, _) = await ScanAsync(lab);

        ShouldBeExact(report, lab, "at 100 ms round trip");
        var network = report.Hosts[0].Network.ShouldNotBeNull();
        network.SrttMs.ShouldNotBeNull().ShouldBeInRange(90, 250, "the smoothed RTT is the lab's round trip");
        network.TimeoutMs.ShouldBeInRange(100, 600, "the timeout follows the RTT, well under the 10 s maximum and the 1 s initial timeout");
    }

    [Test]
    public async Task A_clean_host_loses_nothing_and_its_silent_ports_get_one_retry()
    {
        NamespaceLabTests.RequireRootAndNft();
        await using var lab = await NamespaceLab.StartAsync(Open, Filtered, FirstPort, CancellationToken.None);

        var (report, _) = await ScanAsync(lab);

        ShouldBeExact(report, lab, "on a clean lab");
        var network = report.Hosts[0].Network.ShouldNotBeNull();
        (network.Drops, network.Tries).ShouldBe((0, 2), "nothing was lost, so a silent port is tried twice, as nmap does");
        network.TimeoutMs.ShouldBe(100, "a sub-millisecond round trip waits the minimum RTT timeout");
    }

    private static async Task<(JsonReport Report, string Stderr)> ScanAsync(NamespaceLab lab, params string[] extra)
    {
        var run = await ProcessRun.RunAsync(Binaries.Coordinator,
            ["scan", lab.Address.ToString(), "-p", Ports, "--format", "json", "--show-closed", "--no-progress", .. extra],
            TimeSpan.FromMinutes(2));
        run.ExitCode.ShouldBe(0, run.Stderr);
        return (JsonReport.Parse(run.Stdout), run.Stderr);
    }

    private static void ShouldBeExact(JsonReport report, NamespaceLab lab, string when)
    {
        var host = report.Hosts.ShouldHaveSingleItem();
        var wrong = host.Ports
            .Where(p => p.State != lab.ExpectedState(p.Port).ToWireName())
            .Select(p => $"{p.Port} {p.State} (is {lab.ExpectedState(p.Port).ToWireName()})")
            .ToList();
        wrong.ShouldBeEmpty($"{when}: every port right");
        host.Ports.Count.ShouldBe(2000, $"{when}: every port reported");
        (host.Counts.Open, host.Counts.Filtered, host.Counts.Closed).ShouldBe((Open, Filtered, 2000 - Open - Filtered), when);
    }
}
