using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Host discovery on a /28 in a private namespace: three live hosts (one listening on 80, one on 443,
/// one that only refuses) among thirteen silent addresses, routed into a veth without ARP whose far
/// end has no address, so whatever is sent to them is dropped.
/// </summary>
public class HostDiscoveryTests
{
    private static readonly string[] Live = ["198.18.0.2", "198.18.0.3", "198.18.0.4"];

    private static readonly string Lab = """
        ip link add pd0 type veth peer name pd1 && ip link set pd0 arp off && ip link set pd0 up && ip link set pd1 up
        ip route add 198.18.0.0/28 dev pd0
        for a in 2 3 4; do ip addr add 198.18.0.$a/32 dev lo; done
        python3 -c '
        import socket, sys, time
        held = []
        for address, port in (("198.18.0.2", 80), ("198.18.0.3", 443)):
            s = socket.socket(); s.bind((address, port)); s.listen(50); held.append(s)
        print("listening", flush=True)
        time.sleep(300)' > "$dir/listeners.txt" &
        listeners=$!
        for i in $(seq 200); do grep -q listening "$dir/listeners.txt" && break; sleep 0.05; done
        """;

    private static Task<ProcessRun> ScanLabAsync(string options, DirectoryInfo directory) =>
        PrivateNetwork.RunAsync($"""
            dir='{directory.FullName}'
            {Lab}
            '{Binaries.Coordinator}' scan 198.18.0.0/28 -p 79-81,443 {options} --format json -o "$dir/scan.json" -oX "$dir/scan.xml" -oG "$dir/scan.gnmap"
            code=$?
            kill $listeners; wait $listeners
            exit $code
            """, TimeSpan.FromMinutes(2));

    [Test]
    public async Task A_scan_of_a_block_scans_exactly_the_hosts_discovery_finds_up_and_reports_the_others_down()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("discovery");

        var run = await ScanLabAsync("", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var report = JsonReport.Parse(File.ReadAllText(Path.Combine(directory.FullName, "scan.json")));
        report.Hosts.Count.ShouldBe(16);
        report.Hosts.Where(h => h.Status!.State == "up").Select(h => h.Address).ShouldBe(Live);
        foreach (var host in report.Hosts.Where(h => h.Status!.State == "down"))
        {
            host.Status!.Reason.ShouldBe("no-response");
            host.Counts.ShouldBe(new JsonCounts(0, 0, 0, 0, 4), $"{host.Address} is down: its 4 ports are unscanned, not scanned");
        }
        report.Hosts.Single(h => h.Address == "198.18.0.2").Counts.ShouldBe(new JsonCounts(1, 3, 0, 0, 0));
        report.Hosts.Single(h => h.Address == "198.18.0.3").Counts.ShouldBe(new JsonCounts(1, 3, 0, 0, 0));
        report.Hosts.Single(h => h.Address == "198.18.0.4").Counts.ShouldBe(new JsonCounts(0, 4, 0, 0, 0));
        run.Stdout.ShouldContain("16 IP addresses (3 hosts up) scanned in");
        run.Stdout.ShouldContain("13 hosts seemed down (no answer to host discovery), so 52 ports were left unscanned; -Pn scans them");
        var xml = Path.Combine(directory.FullName, "scan.xml");
        (await NmapDtd.ValidateAsync(xml)).ExitCode.ShouldBe(0);
        XDocument.Load(xml).Descendants("status").Count(s => (string?)s.Attribute("state") == "down" && (string?)s.Attribute("reason") == "no-response").ShouldBe(13);
        File.ReadAllLines(Path.Combine(directory.FullName, "scan.gnmap")).Count(l => l.EndsWith("\tStatus: Down", StringComparison.Ordinal)).ShouldBe(13);
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task A_ping_sweep_lists_the_hosts_up_in_every_format_and_scans_no_port()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("discovery");

        var run = await ScanLabAsync("-sn", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var report = JsonReport.Parse(File.ReadAllText(Path.Combine(directory.FullName, "scan.json")));
        report.Hosts.Where(h => h.Status!.State == "up").Select(h => h.Address).ShouldBe(Live);
        report.Hosts.ShouldAllBe(h => h.Ports.Count == 0 && h.Counts == new JsonCounts(0, 0, 0, 0, 0));
        report.Slices.ShouldBeEmpty("a ping sweep scans no port");
        run.Stdout.Split('\n').Where(l => l.StartsWith("portscan scan report for ", StringComparison.Ordinal))
            .ShouldBe(Live.Select(a => $"portscan scan report for {a}"));
        run.Stdout.ShouldContain("Host discovery only (-sn): 16 IP addresses (3 hosts up) scanned in");
        var xml = Path.Combine(directory.FullName, "scan.xml");
        (await NmapDtd.ValidateAsync(xml)).ExitCode.ShouldBe(0);
        var document = XDocument.Load(xml);
        document.Descendants("ports").ShouldBeEmpty();
        document.Descendants("status").Count(s => (string?)s.Attribute("state") == "up").ShouldBe(3);
        File.ReadAllLines(Path.Combine(directory.FullName, "scan.gnmap")).Where(l => l.EndsWith("\tStatus: Up", StringComparison.Ordinal))
            .ShouldBe(Live.Select(a => $"Host: {a} ()\tStatus: Up"));
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task With_Pn_every_address_of_the_block_is_scanned()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("discovery");

        var run = await ScanLabAsync("-Pn --max-retries 0 --max-rtt-timeout 100ms", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var report = JsonReport.Parse(File.ReadAllText(Path.Combine(directory.FullName, "scan.json")));
        report.Hosts.Count.ShouldBe(16);
        report.Hosts.ShouldAllBe(h => h.Status == null && h.Counts.Unscanned == 0);
        report.Hosts.Where(h => h.Counts.Open + h.Counts.Closed > 0).Select(h => h.Address).ShouldBe(Live);
        directory.Delete(recursive: true);
    }
}
