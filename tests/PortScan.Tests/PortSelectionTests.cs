using PortScan.Coordinator.Ports;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>-p in nmap's syntax, --top-ports, --exclude-ports, and how they combine.</summary>
public class PortSelectionTests
{
    [TestCase("22,80,443", "22,80,443")]
    [TestCase("1000-2000", "1000-2000")]
    [TestCase("-", "1-65535")]
    [TestCase("1-", "1-65535")]
    [TestCase("60000-", "60000-65535")]
    [TestCase("-100", "1-100")]
    [TestCase("443,80,22,80", "22,80,443")]
    [TestCase("1-10,5-20", "1-20")]
    [TestCase(" 22 , 80 ", "22,80")]
    public void Reads_nmap_port_syntax(string text, string expected)
    {
        NmapPortSyntax.TryParse(text, out var ports, out var error).ShouldBeTrue(error);

        ports.Any.ToString().ShouldBe(expected);
        ports.Tcp.IsEmpty.ShouldBeTrue();
        ports.Udp.IsEmpty.ShouldBeTrue();
    }

    [TestCase("U:53,111,T:21-25,80", true, true, "T:21-25,80,U:53,111")]
    [TestCase("22,U:53", true, true, "T:22,U:22,53")]
    [TestCase("22,U:53", false, true, "U:22,53")]
    [TestCase("u:53, t:22", true, true, "T:22,U:53")]
    [TestCase("T:22,80", true, false, "22,80")]
    [TestCase("1-3", false, true, "U:1-3")]
    public void Prefixes_pick_the_transport_and_plain_ports_go_to_every_scanned_one(string text, bool tcp, bool udp, string expected)
    {
        NmapPortSyntax.TryParse(text, out var list, out var error).ShouldBeTrue(error);

        list.TryFor(tcp, udp, out var ports, out error).ShouldBeTrue(error);
        ports.ToString().ShouldBe(expected);
    }

    [TestCase("U:53", true, false, "add --udp")]
    [TestCase("T:22,U:53", false, true, "add --tcp")]
    public void A_prefix_for_a_transport_not_scanned_is_refused(string text, bool tcp, bool udp, string reason)
    {
        NmapPortSyntax.TryParse(text, out var list, out _).ShouldBeTrue();

        list.TryFor(tcp, udp, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
    }

    [TestCase("", "empty entry")]
    [TestCase("22,,80", "empty entry")]
    [TestCase("0", "outside 1-65535")]
    [TestCase("65536", "outside 1-65535")]
    [TestCase("100-10", "greater than")]
    [TestCase("http", "service names are not supported")]
    [TestCase("S:80", "only the T: (TCP) and U: (UDP) prefixes")]
    [TestCase("U:", "empty entry")]
    [TestCase("22:23", "not a port, a range or a T:/U: prefix")]
    [TestCase("1-2-3", "not a port or a range")]
    public void Rejects_what_it_cannot_read_with_a_reason(string text, string reason)
    {
        NmapPortSyntax.TryParse(text, out _, out var error).ShouldBeFalse();

        error.ShouldContain(reason);
    }

    [Test]
    public void Ranks_nmap_services_by_frequency_then_port()
    {
        string[] lines =
        [
            "# comment",
            "http\t80/tcp\t0.484143\t# World Wide Web HTTP",
            "domain\t53/udp\t0.9",
            "telnet\t23/tcp\t0.221265",
            "b\t9/tcp\t0.1",
            "a\t7/tcp\t0.1",
            "bad\tx/tcp\t0.5",
        ];

        TopPorts.RankNmapServices(lines, Transport.Tcp).ShouldBe([80, 23, 7, 9]);
    }

    [Test]
    public void The_built_in_list_is_the_top_1000_and_starts_like_nmaps()
    {
        var ports = TopPorts.BuiltIn(Transport.Tcp).ToList();

        ports.Count.ShouldBe(TopPorts.BuiltInCount);
        ports.Distinct().Count().ShouldBe(TopPorts.BuiltInCount);
        ports.Take(5).ShouldBe([80, 23, 443, 21, 22]);
    }

    [Test]
    public void Top_ports_come_from_nmaps_file_when_installed_and_agree_with_the_built_in_list()
    {
        if (!File.Exists(TopPorts.NmapServicesPath))
        {
            Assert.Ignore($"{TopPorts.NmapServicesPath} is not installed (apt-get install nmap)");
        }

        TopPorts.Take(1000, Transport.Tcp).ShouldBe(TopPorts.Take(1000, Transport.Tcp, "/nonexistent/nmap-services"));
        TopPorts.Take(1000, Transport.Udp).ShouldBe(TopPorts.Take(1000, Transport.Udp, "/nonexistent/nmap-services"));
        TopPorts.Take(100, Transport.Tcp).Count.ShouldBe(100);
    }

    [TestCase("-p", "22,80", "--start-port", "1")]
    [TestCase("-p", "22", "--top-ports", "10")]
    [TestCase("--top-ports", "10", "--end-port", "100")]
    public async Task Ports_given_two_ways_are_bad_input(params string[] args)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(["plan", .. args]);

        exit.ShouldBe(2);
        stderr.Trim().ShouldBe("portscan: give the ports one way: -p, --start-port/--end-port, --top-ports or -F");
    }

    [TestCase("-p", "80", "--exclude-ports", "1-100", "leaves no port")]
    [TestCase("-p", "http", "service names")]
    [TestCase("--exclude-ports", "x", "--exclude-ports: 'x'")]
    [TestCase("--top-ports", "0", "--top-ports '0' must be a whole number")]
    public async Task Bad_port_selections_are_one_line_and_exit_2(params string[] args)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(["plan", .. args[..^1]]);

        exit.ShouldBe(2);
        stderr.ShouldContain(args[^1]);
        stderr.Trim().ShouldNotContain('\n');
    }

    [Test]
    public async Task Exclude_ports_cuts_the_selection_before_it_is_sliced()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("plan", "-p-", "--exclude-ports", "1-1000,65535", "-w", "2");

        exit.ShouldBe(0);
        stdout.ShouldContain("64534 ports over 2 workers, 64534 / 2 = 32267 each");
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];
        rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].ShouldBe("1001-33267");
        rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].ShouldBe("33268-65534");
    }

    [Test]
    public async Task A_port_list_scan_reports_exactly_the_listed_ports()
    {
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 0);
        var open = lab.Ports.Start;
        var closed = lab.Ports.End;

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{closed},{open}", "--format", "json", "--show-closed", "-w", "2");

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = Coordinator.Output.JsonReport.Parse(run.Stdout).Hosts[0];
        host.Ports.Select(p => (p.Port, p.State)).ShouldBe([(open, "open"), (closed, "closed")]);
    }
}
