using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Scans of several hosts (127.0.0.0/29 and ::1, all loopback) with labs listening on some of
/// them. Every address of the block is scanned, so these run only in a namespace the test creates.
/// </summary>
public class MultiHostScanTests
{
    // Lab ports: open ports first, then closed, then filtered, from --first-port.
    private static readonly string[] Labs =
    [
        "--address 127.0.0.2 --open 2 --closed 0 --filtered 1 --first-port 40000",
        "--address 127.0.0.5 --open 1 --closed 0 --filtered 0 --first-port 40005",
        "--address ::1 --open 1 --closed 0 --filtered 0 --first-port 40009",
    ];

    [Test]
    public async Task A_cidr_block_and_ipv6_are_split_into_slices_and_reported_host_by_host()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("hosts");
        var report = Path.Combine(directory.FullName, "scan.json");
        var all = Path.Combine(directory.FullName, "scan");

        var run = await PrivateNetwork.ScanBesideLabsAsync(Labs,
            $"'{Binaries.Coordinator}' scan 127.0.0.0/29 ::1 -p 40000-40009 -w 3 --timeout 500ms --format json -o '{report}' -oA '{all}'", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        json.Complete.ShouldBeTrue();
        json.Hosts.Select(h => h.Address).ShouldBe([.. Enumerable.Range(0, 8).Select(i => $"127.0.0.{i}"), "::1"]);
        json.Hosts.Sum(h => h.Counts.Open + h.Counts.Closed + h.Counts.Filtered).ShouldBe(90, "9 hosts × 10 ports, each once");
        var open = json.Hosts.SelectMany(h => h.Ports.Select(p => $"{h.Address} {p.Port}")).ToList();
        open.ShouldBe(["127.0.0.2 40000", "127.0.0.2 40001", "127.0.0.5 40005", "::1 40009"]);
        json.Hosts.Single(h => h.Address == "127.0.0.2").Counts.ShouldBe(new JsonCounts(2, 7, 1, 0, 0));
        json.Hosts.Single(h => h.Address == "127.0.0.0").Counts.ShouldBe(new JsonCounts(0, 10, 0, 0, 0));

        // 90 host-ports over 3 workers: 30 each, so worker 1 starts in the middle of 127.0.0.3's ports.
        json.Slices.Select(s => s.Work).ShouldBe([
            "127.0.0.0-127.0.0.2 40000-40009",
            "127.0.0.3-127.0.0.5 40000-40009",
            "127.0.0.6-127.0.0.7,::1 40000-40009",
        ]);

        (await NmapDtd.ValidateAsync(all + ".xml")).ExitCode.ShouldBe(0);
        var xmlHosts = XDocument.Load(all + ".xml").Root!.Elements("host").ToList();
        xmlHosts.Count.ShouldBe(9);
        xmlHosts.Last().Element("address")!.Attribute("addrtype")!.Value.ShouldBe("ipv6");
        File.ReadAllLines(all + ".gnmap").Count(l => l.EndsWith("\tStatus: Up", StringComparison.Ordinal)).ShouldBe(9);
        run.Stdout.ShouldContain("Discovered open port 40009/tcp on ::1");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Targets_come_from_a_list_file_with_comments_and_exclusions_apply()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("il");
        var list = Path.Combine(directory.FullName, "targets.txt");
        await File.WriteAllTextAsync(list, """
            # the lab hosts
            127.0.0.1-3   # a range; .3 is excluded below

            ::1
            127.0.0.5#no space before the comment
            """);

        var run = await PrivateNetwork.ScanBesideLabsAsync(Labs,
            $"'{Binaries.Coordinator}' scan -iL '{list}' --exclude 127.0.0.3,127.0.0.1 -p 40000-40009 --timeout 500ms --format jsonl", directory);

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdoutLines;
        lines[^1].ShouldContain("\"type\":\"summary\"");
        lines[^1].ShouldContain("\"hosts\":3");
        lines.SkipLast(1).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Select(e => $"{e.GetProperty("address").GetString()} {e.GetProperty("port").GetInt32()}")
            .Order(StringComparer.Ordinal)
            .ShouldBe(["127.0.0.2 40000", "127.0.0.2 40001", "127.0.0.5 40005", "::1 40009"]);
        directory.Delete(recursive: true);
    }
}
