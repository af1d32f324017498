using System.Xml.Linq;
using PortScan.Coordinator.Lab;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--udp against UDP sockets the test opens on 127.0.0.1, and against a lab host whose kernel rate-limits ICMP.</summary>
public class UdpScanTests
{
    [TestCase(1)]
    [TestCase(3)]
    public async Task A_reply_is_open_a_port_unreachable_is_closed_and_silence_is_open_filtered(int workers)
    {
        await using var services = new LoopbackServices();
        var answering = services.UdpAnswering();
        var silent = services.UdpSilent();
        var closed = LoopbackServices.UdpClosed();

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "--udp", "-p", $"{answering},{silent},{closed}",
            "-w", $"{workers}", "--format", "json", "--show-closed");

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = JsonReport.Parse(run.Stdout).Hosts.ShouldHaveSingleItem();
        host.Ports.ShouldAllBe(p => p.Protocol == "udp");
        host.Ports.Single(p => p.Port == answering).State.ShouldBe("open");
        host.Ports.Single(p => p.Port == answering).RttMs.ShouldNotBeNull();
        host.Ports.Single(p => p.Port == silent).State.ShouldBe("open|filtered");
        host.Ports.Single(p => p.Port == closed).State.ShouldBe("closed");
        host.Counts.ShouldBe(new JsonCounts(1, 1, 0, 1, 0));
    }

    [Test]
    public async Task Tcp_and_udp_ports_are_scanned_together_with_nmap_prefixes_and_reported_apart()
    {
        await using var lab = TestLab.Start(open: 1, closed: 1, filtered: 0);
        await using var services = new LoopbackServices();
        var answering = services.UdpAnswering();
        var directory = TestTemp.Directory("udp");
        var xml = Path.Combine(directory.FullName, "scan.xml");

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-sT", "-sU", "-p", $"T:{lab.Ports.Start}-{lab.Ports.End},U:{answering}",
            "--format", "json", "--show-closed", "-oX", xml, "-o", Path.Combine(directory.FullName, "scan.json"));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain($"Discovered open port {answering}/udp on 127.0.0.1");
        run.Stdout.ShouldContain($"Discovered open port {lab.Ports.Start}/tcp on 127.0.0.1");
        var host = JsonReport.Parse(File.ReadAllText(Path.Combine(directory.FullName, "scan.json"))).Hosts.ShouldHaveSingleItem();
        host.Ports.Select(p => (p.Port, p.Protocol, p.State)).ShouldBe([
            (lab.Ports.Start, "tcp", "open"), (lab.Ports.End, "tcp", "closed"), (answering, "udp", "open")]);
        (await NmapDtd.ValidateAsync(xml)).ExitCode.ShouldBe(0);
        var document = XDocument.Load(xml);
        document.Descendants("scaninfo").Select(s => (string?)s.Attribute("protocol")).ShouldBe(["tcp", "udp"]);
        document.Descendants("port").Single(p => (string?)p.Attribute("protocol") == "udp").Element("state")!.Attribute("reason")!.Value.ShouldBe("udp-response");
    }

    [TestCase("-p", "U:53", "add --udp")]
    [TestCase("--udp -p", "T:22,U:53", "add --tcp")]
    [TestCase("-p", "S:80", "only the T: (TCP) and U: (UDP) prefixes")]
    public async Task A_prefix_for_a_transport_not_scanned_is_one_line_and_exit_2(string options, string ports, string reason)
    {
        var run = await Binaries.PortScanAsync(["scan", "127.0.0.1", .. options.Split(' '), ports]);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(reason);
        run.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        run.Stdout.ShouldBeEmpty();
    }

    [Test]
    public async Task Closed_ports_behind_the_kernels_icmp_rate_limit_are_still_all_closed()
    {
        // Linux answers another host with at most 6 port-unreachables at once, then 1 a second: an
        // unpaced scan would call most of these closed ports open|filtered.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("the --netns lab needs root (ip netns add)");
        }
        await using var lab = await NamespaceLab.StartAsync(open: 0, filtered: 0, firstPort: 20000, CancellationToken.None);

        var run = await Binaries.PortScanAsync("scan", lab.Address.ToString(), "--udp", "-p", "20000-20011", "-w", "2", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        JsonReport.Parse(run.Stdout).Hosts.ShouldHaveSingleItem().Counts.ShouldBe(new JsonCounts(0, 12, 0, 0, 0));
    }
}
