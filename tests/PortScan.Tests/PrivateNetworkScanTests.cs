using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>Scans of every port, which only happen inside a network namespace the test creates.</summary>
public class PrivateNetworkScanTests
{
    [Test]
    public async Task Full_range_scan_with_8_workers_finds_exactly_the_listeners()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("netns");
        var report = Path.Combine(directory.FullName, "scan.json");

        var run = await PrivateNetwork.ScanBesideListenersAsync($"'{Binaries.Coordinator}' scan 127.0.0.1 -w 8 --format json -o '{report}'", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = JsonReport.Parse(File.ReadAllText(report)).Hosts.ShouldHaveSingleItem();
        host.Ports.Select(p => p.Port).ShouldBe(PrivateNetwork.Listeners);
        host.Counts.ShouldBe(new JsonCounts(3, 65532, 0, 0, 0));
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task An_unresolvable_host_is_bad_input()
    {
        PrivateNetwork.RequireOrIgnore();

        // No network in the namespace: the lookup fails without a packet leaving the machine.
        var run = await PrivateNetwork.RunAsync($"exec '{Binaries.Coordinator}' scan no-such-host.invalid", TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.Trim().ShouldBe("portscan: cannot resolve host 'no-such-host.invalid'");
    }
}
