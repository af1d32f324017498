using System.Text.Json;
using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--open, as nmap's: only ports that are or may be open are listed, and the counts stay whole.</summary>
public class OpenOnlyTests
{
    // Two workers, one a host: 127.0.0.1 has port 2 open and 3 filtered, 127.0.0.2 nothing open; port 1 is closed on both.
    private const string TwoHosts = """
        hello
        if [ "$target" = 127.0.0.1 ]; then
          echo '{"type":"ports","target":"127.0.0.1","transport":"tcp","open":[{"port":2,"rttMs":0.1}],"closed":[],"filtered":[3],"openFiltered":[]}'
        else
          echo '{"type":"ports","target":"127.0.0.2","transport":"tcp","open":[],"closed":[2],"filtered":[3],"openFiltered":[]}'
        fi
        """;

    [Test]
    public async Task Open_lists_only_open_ports_in_every_format_leaves_out_hosts_with_none_and_keeps_every_count()
    {
        var directory = TestTemp.Directory("open");
        string File(string name) => Path.Combine(directory.FullName, name);
        var worker = WorkerDoubles.Scripted(TwoHosts);
        string[] scan = ["scan", "127.0.0.1-2", "-p", "1-3", "-w", "2", "--open", "-Pn", "--worker-path", worker];

        var (exit, stdout, stderr) = await InProcessCli.RunAsync([.. scan, "-oX", File("scan.xml"), "-oG", File("scan.gnmap"), "--format", "json", "-o", File("scan.json"),
            "--reason"]);
        var csv = await InProcessCli.RunAsync([.. scan, "--format", "csv"]);
        var jsonl = await InProcessCli.RunAsync([.. scan, "--format", "jsonl"]);

        exit.ShouldBe(0, stderr);
        var text = stdout.Split('\n');
        text.ShouldContain("portscan scan report for 127.0.0.1");
        text.ShouldNotContain("portscan scan report for 127.0.0.2", "nmap's --open leaves out a host with no open port");
        text.ShouldContain("Not shown: 1 closed tcp port (conn-refused), 1 filtered tcp port (no-response)");
        text.ShouldContain(l => l.StartsWith("2/tcp ", StringComparison.Ordinal) && l.EndsWith(" syn-ack", StringComparison.Ordinal));
        text.ShouldNotContain(l => l.StartsWith("3/tcp", StringComparison.Ordinal));
        text.ShouldContain("1 open, 3 closed, 2 filtered");

        (await NmapDtd.ValidateAsync(File("scan.xml"))).ExitCode.ShouldBe(0);
        var xml = XDocument.Load(File("scan.xml"));
        xml.Descendants("host").ShouldHaveSingleItem().Element("address")!.Attribute("addr")!.Value.ShouldBe("127.0.0.1");
        xml.Descendants("port").Select(p => (string)p.Attribute("portid")!).ShouldBe(["2"]);
        xml.Descendants("extraports").Select(e => (string)e.Attribute("state")!).ShouldBe(["closed", "filtered"]);
        var hosts = xml.Descendants("runstats").Single().Element("hosts")!;
        ((string)hosts.Attribute("up")!, (string)hosts.Attribute("total")!).ShouldBe(("2", "2"), "the run's totals count every host");

        var grepable = System.IO.File.ReadAllLines(File("scan.gnmap"));
        grepable.ShouldNotContain(l => l.Contains("127.0.0.2", StringComparison.Ordinal) && !l.StartsWith('#'));
        grepable.ShouldContain(l => l.StartsWith("Host: 127.0.0.1 ()\tPorts: 2/open/tcp//", StringComparison.Ordinal)
            && l.EndsWith("///\tIgnored State: closed (1), filtered (1)", StringComparison.Ordinal));
        grepable[^1].ShouldContain("2 IP addresses (2 hosts up)");

        var json = JsonReport.Parse(System.IO.File.ReadAllText(File("scan.json")));
        json.Hosts.Select(h => (h.Address, h.Counts, string.Join(',', h.Ports.Select(p => p.Port)))).ShouldBe([
            ("127.0.0.1", new JsonCounts(1, 1, 1, 0, 0), "2"),
            ("127.0.0.2", new JsonCounts(0, 2, 1, 0, 0), "")], "JSON keeps every host with its counts; only the ports list is filtered");

        csv.Exit.ShouldBe(0, csv.Stderr);
        csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ShouldHaveSingleItem().ShouldStartWith("127.0.0.1,127.0.0.1,2,tcp,open,");

        jsonl.Exit.ShouldBe(0, jsonl.Stderr);
        var lines = jsonl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Where(l => l.GetProperty("type").GetString() == "port").ShouldHaveSingleItem().GetProperty("port").GetInt32().ShouldBe(2);
        var summary = lines[^1];
        (summary.GetProperty("open").GetInt32(), summary.GetProperty("closed").GetInt32(), summary.GetProperty("filtered").GetInt32()).ShouldBe((1, 3, 2));
    }

    [Test]
    public async Task Open_lists_udp_ports_that_may_be_open()
    {
        await using var services = new LoopbackServices();
        var answering = services.UdpAnswering();
        var silent = services.UdpSilent();
        var closed = LoopbackServices.UdpClosed();

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--udp", "-p", $"{answering},{silent},{closed}", "--open", "--format", "csv");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdoutLines.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[2]), f[4]))
            .ShouldBe([(answering, "open"), (silent, "open|filtered")], ignoreOrder: true);
    }

    [Test]
    public async Task Open_and_show_closed_together_are_one_line_and_exit_2()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "--open", "--show-closed");

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldNotContain('\n');
        stderr.ShouldContain("--open and --show-closed contradict each other");
    }
}
