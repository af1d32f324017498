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
        var directory = Directory.CreateTempSubdirectory("portscan-netns-");
        var report = Path.Combine(directory.FullName, "scan.json");
        var script = $"""
            '{Binaries.Coordinator}' lab --open 3 --closed 0 --filtered 0 --first-port 40000 > '{directory.FullName}/lab.txt' &
            lab=$!
            for i in $(seq 200); do grep -q '^Try:' '{directory.FullName}/lab.txt' && break; sleep 0.05; done
            '{Binaries.Coordinator}' scan 127.0.0.1 -w 8 --format json -o '{report}'
            code=$?
            kill $lab; wait $lab
            exit $code
            """;

        var run = await PrivateNetwork.RunAsync(script, TimeSpan.FromMinutes(2));

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = JsonReport.Parse(File.ReadAllText(report)).Hosts.ShouldHaveSingleItem();
        host.Ports.Select(p => p.Port).ShouldBe([40000, 40001, 40002]);
        host.Counts.ShouldBe(new JsonCounts(3, 65532, 0, 0));
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
