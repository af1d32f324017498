using System.Text.Json;
using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--reason and the reasons every report carries: nmap's words for why a port is in its state.</summary>
public class ReasonTests
{
    [Test]
    public async Task Every_format_gives_nmaps_reasons_for_open_closed_and_silent_tcp_ports()
    {
        await using var lab = TestLab.Start(open: 1, closed: 2, filtered: 1);
        var (open, closed, filtered) = (lab.Ports.Start, lab.Ports.Start + 1, lab.Ports.End);
        var directory = TestTemp.Directory("reasons");
        string File(string name) => Path.Combine(directory.FullName, name);
        string[] scan = ["scan", "localhost", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", "--timeout", "300ms", "-w", "2"];

        var folded = await Binaries.PortScanAsync([.. scan, "--reason", "-oN", File("scan.nmap"), "-oX", File("scan.xml"), "-oG", File("scan.gnmap")]);
        var listed = await Binaries.PortScanAsync([.. scan, "--show-closed", "--format", "json", "-o", File("scan.json")]);
        var csv = await Binaries.PortScanAsync([.. scan, "--show-closed", "--format", "csv"]);
        var jsonl = await Binaries.PortScanAsync([.. scan, "--show-closed", "--format", "jsonl"]);

        foreach (var run in new[] { folded, listed, csv, jsonl })
        {
            run.ExitCode.ShouldBe(0, run.ToString());
        }
        var text = System.IO.File.ReadAllLines(File("scan.nmap"));
        text.Single(l => l.StartsWith("Host is up", StringComparison.Ordinal)).ShouldStartWith("Host is up, received syn-ack (");
        text.ShouldContain("Not shown: 2 closed tcp ports (conn-refused)");
        text.ShouldContain(l => l.StartsWith("PORT ", StringComparison.Ordinal) && l.EndsWith(" SERVICE REASON", StringComparison.Ordinal));
        text.ShouldContain(l => l.StartsWith($"{open}/tcp ", StringComparison.Ordinal) && l.EndsWith(" syn-ack", StringComparison.Ordinal));
        text.ShouldContain(l => l.StartsWith($"{filtered}/tcp ", StringComparison.Ordinal) && l.EndsWith(" no-response", StringComparison.Ordinal));

        (await NmapDtd.ValidateAsync(File("scan.xml"))).ExitCode.ShouldBe(0);
        var xml = XDocument.Load(File("scan.xml"));
        xml.Descendants("status").Single().Attribute("reason")!.Value.ShouldBe("syn-ack");
        xml.Descendants("port").Select(p => ((int)p.Attribute("portid")!, (string)p.Element("state")!.Attribute("reason")!, (string)p.Element("state")!.Attribute("reason_ttl")!))
            .ShouldBe([(open, "syn-ack", "0"), (filtered, "no-response", "0")]);
        var extraports = xml.Descendants("extraports").Single();
        ((string)extraports.Attribute("state")!, (int)extraports.Attribute("count")!).ShouldBe(("closed", 2));
        var reasons = extraports.Elements("extrareasons").Single();
        reasons.Attributes().Select(a => (a.Name.LocalName, a.Value))
            .ShouldBe([("reason", "conn-refused"), ("count", "2"), ("proto", "tcp"), ("ports", $"{closed}-{closed + 1}")]);

        System.IO.File.ReadAllText(File("scan.gnmap")).ShouldNotContain("syn-ack", customMessage: "nmap's grepable output has no reason field");

        var ports = JsonReport.Parse(System.IO.File.ReadAllText(File("scan.json"))).Hosts.Single().Ports;
        ports.Select(p => (p.Port, p.State, p.Reason)).ShouldBe([
            (open, "open", "syn-ack"), (closed, "closed", "conn-refused"), (closed + 1, "closed", "conn-refused"), (filtered, "filtered", "no-response")]);

        csv.StdoutLines[0].ShouldEndWith(",reason");
        csv.StdoutLines.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[2]), f[^1]))
            .ShouldBe([(open, "syn-ack"), (closed, "conn-refused"), (closed + 1, "conn-refused"), (filtered, "no-response")]);

        jsonl.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("type").GetString() == "port")
            .Select(l => (l.GetProperty("port").GetInt32(), l.GetProperty("reason").GetString())).OrderBy(p => p.Item1)
            .ShouldBe([(open, "syn-ack"), (closed, "conn-refused"), (closed + 1, "conn-refused"), (filtered, "no-response")]);
    }

    [Test]
    public async Task Udp_ports_have_nmaps_udp_reasons()
    {
        await using var services = new LoopbackServices();
        var answering = services.UdpAnswering();
        var silent = services.UdpSilent();
        var closed = LoopbackServices.UdpClosed();

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--udp", "-p", $"{answering},{silent},{closed}", "--format", "csv", "--show-closed");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdoutLines.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[2]), f[4], f[^1])).ShouldBe([
            (answering, "open", "udp-response"), (silent, "open|filtered", "no-response"), (closed, "closed", "port-unreach")], ignoreOrder: true);
    }

    /// <summary>
    /// In a namespace of the test's own: nftables rejects two TCP ports and a UDP port of 127.0.0.1
    /// with ICMP errors, and a route of type prohibit covers 198.19.0.0/16.
    /// </summary>
    [Test]
    public async Task A_port_the_network_rejects_has_the_reason_nmap_gives_its_error()
    {
        PrivateNetwork.RequireOrIgnore();
        var directory = TestTemp.Directory("rejected");
        var scan = $"'{Binaries.Coordinator}' scan 127.0.0.1 198.19.0.1 -sT -sU -p T:40009-40011,U:40012 --timeout 300ms -Pn";

        var run = await PrivateNetwork.RunAsync($"""
            nft 'add table inet t; add chain inet t input {"{"} type filter hook input priority 0; policy accept; {"}"}
                 add rule inet t input tcp dport 40010 reject with icmp type host-unreachable
                 add rule inet t input tcp dport 40011 reject with icmp type net-unreachable
                 add rule inet t input udp dport 40012 reject with icmp type admin-prohibited' || exit 90
            ip route add prohibit 198.19.0.0/16 || exit 91
            {scan} --format json --show-closed > '{directory.FullName}/scan.json' || exit 92
            {scan} --reason -oX '{directory.FullName}/scan.xml' -oN '{directory.FullName}/scan.nmap' > /dev/null
            """, TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(0, run.ToString());
        var hosts = JsonReport.Parse(File.ReadAllText(Path.Combine(directory.FullName, "scan.json"))).Hosts;
        hosts[0].Ports.Select(p => (p.Port, p.Protocol, p.State, p.Reason)).ShouldBe([
            (40009, "tcp", "closed", "conn-refused"),
            (40010, "tcp", "filtered", "host-unreach"),
            (40011, "tcp", "filtered", "net-unreach"),
            (40012, "udp", "filtered", "host-unreach")], "Linux reports an ICMP admin-prohibited to a UDP socket as EHOSTUNREACH");
        hosts[1].Ports.ShouldAllBe(p => p.State == "filtered" && p.Reason == "admin-prohibited");
        hosts[1].Ports.Count.ShouldBe(4);

        var xml = Path.Combine(directory.FullName, "scan.xml");
        (await NmapDtd.ValidateAsync(xml)).ExitCode.ShouldBe(0);
        var blocked = XDocument.Load(xml).Descendants("host").Last().Descendants("extrareasons")
            .Select(e => ((string)e.Attribute("reason")!, (string)e.Attribute("proto")!, (string)e.Attribute("ports")!));
        blocked.ShouldBe([("admin-prohibited", "tcp", "40009-40011"), ("admin-prohibited", "udp", "40012")]);
        var text = File.ReadAllLines(Path.Combine(directory.FullName, "scan.nmap"));
        text.ShouldContain("Not shown: 3 filtered tcp ports (admin-prohibited), 1 filtered udp port (admin-prohibited)");
        text.ShouldContain("Not shown: 1 filtered tcp port (host-unreach), 1 filtered tcp port (net-unreach), 1 filtered udp port (host-unreach)");
        text.ShouldContain(l => l.StartsWith("40009/tcp ", StringComparison.Ordinal) && l.EndsWith(" conn-refused", StringComparison.Ordinal));
    }

    [Test]
    public async Task Reasons_a_worker_names_reach_the_reports_and_others_are_the_states_own()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-3", "-w", "1", "--format", "json", "--show-closed",
            "--worker-path", WorkerDoubles.Scripted("""
                hello
                echo '{"type":"ports","target":"127.0.0.1","transport":"tcp","open":[],"closed":[],"filtered":[2,3],"openFiltered":[],"reasons":{"perm-denied":[2]}}'
                """));

        exit.ShouldBe(0, stderr);
        JsonReport.Parse(stdout).Hosts.Single().Ports.Select(p => (p.Port, p.Reason))
            .ShouldBe([(1, "conn-refused"), (2, "perm-denied"), (3, "no-response")]);
    }

    [TestCase("""{"gossip":[2]}""", "'gossip'")]
    [TestCase("""{"no-response":[2]}""", "'no-response'")]
    [TestCase("""{"host-unreach":[3]}""", "port 3/tcp")]
    [TestCase("""{"host-unreach":[2],"net-unreach":[2]}""", "port 2/tcp")]
    public async Task A_worker_that_gives_a_reason_nmap_has_no_word_for_or_for_a_port_not_filtered_is_distrusted(string reasons, string named)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-3", "-w", "1", "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.Scripted($$"""
                hello
                echo '{"type":"ports","target":"127.0.0.1","transport":"tcp","open":[],"closed":[3],"filtered":[2],"openFiltered":[],"reasons":{{reasons}}}'
                """));

        exit.ShouldBe(1, stderr);
        stderr.ShouldContain(named);
        stderr.ShouldContain("left 3 ports unscanned (127.0.0.1 1-3)", customMessage: "nothing of the refused message is counted");
    }
}
