using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>Every report format, from real scans of labs the tests open on loopback.</summary>
public partial class OutputFormatTests
{
    private static string[] LabPorts(Coordinator.Lab.LabTarget lab) =>
        ["-p", $"{lab.Ports.Start}-{lab.Ports.End}", "--timeout", "300ms", "-w", "2"];

    [Test]
    public async Task Oa_writes_nmap_normal_xml_and_grepable_files_and_the_xml_validates_against_nmap_dtd()
    {
        await using var lab = TestLab.Start(open: 2, closed: 6, filtered: 1);
        var directory = TestTemp.Directory("oa");
        var basePath = Path.Combine(directory.FullName, "scan");

        var run = await Binaries.PortScanAsync(["scan", "localhost", .. LabPorts(lab), "-oA", basePath]);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("Discovered open port", customMessage: "stdout still shows the scan as text");
        directory.GetFiles().Select(f => f.Name).Order().ShouldBe(["scan.gnmap", "scan.nmap", "scan.xml"]);

        var validation = await NmapDtd.ValidateAsync(basePath + ".xml");
        validation.ExitCode.ShouldBe(0, validation.ToString());

        await NmapToolsAcceptAsync(basePath + ".xml");

        var xml = XDocument.Load(basePath + ".xml");
        var root = xml.Root!;
        root.Name.LocalName.ShouldBe("nmaprun");
        root.Attribute("scanner")!.Value.ShouldBe("nmap", "nmap.dtd allows no other value");
        root.Attribute("args")!.Value.ShouldStartWith("portscan scan localhost");
        xml.Nodes().OfType<XComment>().ShouldContain(c => c.Value.Contains("portscan", StringComparison.Ordinal));
        var host = root.Element("host")!;
        host.Element("address")!.Attribute("addr")!.Value.ShouldBe("127.0.0.1");
        host.Element("hostnames")!.Element("hostname")!.Attribute("name")!.Value.ShouldBe("localhost");
        var ports = host.Element("ports")!;
        ports.Element("extraports")!.Attribute("state")!.Value.ShouldBe("closed");
        ports.Element("extraports")!.Attribute("count")!.Value.ShouldBe("6");
        ports.Elements("port").Select(p => (int.Parse(p.Attribute("portid")!.Value), p.Element("state")!.Attribute("state")!.Value))
            .ShouldBe([(lab.Ports.Start, "open"), (lab.Ports.Start + 1, "open"), (lab.Ports.End, "filtered")]);
        root.Element("runstats")!.Element("hosts")!.Attribute("up")!.Value.ShouldBe("1");
        var times = host.Elements().Last();
        times.Name.LocalName.ShouldBe("times", "nmap's round-trip figures close the host, where nmap.dtd puts them");
        long.Parse(times.Attribute("to")!.Value).ShouldBeGreaterThan(0);

        var grepable = File.ReadAllLines(basePath + ".gnmap");
        grepable[0].ShouldStartWith("# portscan ");
        grepable.ShouldContain("Host: 127.0.0.1 (localhost)\tStatus: Up");
        grepable.ShouldContain($"Host: 127.0.0.1 (localhost)\tPorts: {lab.Ports.Start}/open/tcp//{ServiceName(lab.Ports.Start)}///, {lab.Ports.Start + 1}/open/tcp//{ServiceName(lab.Ports.Start + 1)}///, {lab.Ports.End}/filtered/tcp//{ServiceName(lab.Ports.End)}///\tIgnored State: closed (6)");
        grepable[^1].ShouldMatch(@"^# portscan done at .* -- 1 IP address \(1 host up\) scanned in [0-9.]+ seconds$");

        var normal = File.ReadAllLines(basePath + ".nmap");
        normal.ShouldContain("portscan scan report for localhost (127.0.0.1)");
        normal.ShouldContain("Not shown: 6 closed tcp ports (conn-refused)");
        normal.ShouldContain(l => l.StartsWith($"{lab.Ports.Start}/tcp ", StringComparison.Ordinal) && l.Contains(" open", StringComparison.Ordinal));
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Xml_on_stdout_with_show_closed_lists_every_port_and_still_validates()
    {
        await using var lab = TestLab.Start(open: 1, closed: 3, filtered: 0);
        var directory = TestTemp.Directory("xml");
        var path = Path.Combine(directory.FullName, "scan.xml");

        var run = await Binaries.PortScanAsync(["scan", "127.0.0.1", .. LabPorts(lab), "--format", "xml", "--show-closed"]);
        await File.WriteAllTextAsync(path, run.Stdout);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldStartWith("<?xml", customMessage: "stdout holds only the document");
        (await NmapDtd.ValidateAsync(path)).ExitCode.ShouldBe(0);
        XDocument.Load(path).Descendants("port").Count().ShouldBe(4);
        XDocument.Load(path).Descendants("extraports").ShouldBeEmpty();
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Csv_has_a_header_and_a_row_a_port()
    {
        await using var lab = TestLab.Start(open: 2, closed: 3, filtered: 0);

        var open = await Binaries.PortScanAsync(["scan", "localhost", .. LabPorts(lab), "--format", "csv"]);
        var all = await Binaries.PortScanAsync(["scan", "localhost", .. LabPorts(lab), "--format", "csv", "--show-closed"]);

        open.ExitCode.ShouldBe(0, open.ToString());
        open.StdoutLines[0].ShouldBe(CsvReport.Header);
        open.StdoutLines.Skip(1).Select(l => l.Split(',')).ShouldAllBe(f => f.Length == 9 && f[0] == "localhost" && f[1] == "127.0.0.1" && f[3] == "tcp" && f[4] == "open" && f[8] == "syn-ack");
        open.StdoutLines.Length.ShouldBe(3);
        all.StdoutLines.Length.ShouldBe(1 + lab.Ports.Count);
        all.StdoutLines.Skip(1).Select(l => int.Parse(l.Split(',')[2])).ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count));
    }

    [Test]
    public async Task Jsonl_streams_an_open_port_while_the_scan_is_still_running()
    {
        // The filtered port holds the only worker for a fixed 3 s; the open port is reported long before that.
        await using var lab = TestLab.Start(open: 1, closed: 0, filtered: 1);
        await using var scan = RunningProcess.Start(Binaries.Coordinator,
            ["scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", "--fixed-timeout", "--timeout", "3s", "-w", "1", "--format", "jsonl"]);

        await scan.WaitForStdoutAsync(OpenLine(), TimeSpan.FromSeconds(2.5));
        scan.HasExited.ShouldBeFalse("the open port's line arrived while the scan still waited for the filtered port");

        var run = await scan.WaitForExitAsync(TimeSpan.FromSeconds(30));
        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Count.ShouldBe(2);
        lines[0].GetProperty("type").GetString().ShouldBe("port");
        lines[0].GetProperty("port").GetInt32().ShouldBe(lab.Ports.Start);
        lines[0].GetProperty("address").GetString().ShouldBe("127.0.0.1");
        lines[^1].GetProperty("type").GetString().ShouldBe("summary");
        lines[^1].GetProperty("filtered").GetInt32().ShouldBe(1);
        lines[^1].GetProperty("complete").GetBoolean().ShouldBeTrue();
    }

    [Test]
    public async Task Ipv6_works_end_to_end_on_the_loopback()
    {
        await using var lab = TestLab.Start(open: 2, closed: 4, filtered: 0, address: IPAddress.IPv6Loopback);

        var run = await Binaries.PortScanAsync(["scan", "::1", .. LabPorts(lab), "--format", "json"]);

        run.ExitCode.ShouldBe(0, run.ToString());
        var host = JsonReport.Parse(run.Stdout).Hosts.ShouldHaveSingleItem();
        host.Address.ShouldBe("::1");
        host.Counts.ShouldBe(new JsonCounts(2, 4, 0, 0, 0));
        host.Ports.Select(p => p.Port).ShouldBe([lab.Ports.Start, lab.Ports.Start + 1]);
    }

    [Test]
    public async Task A_progress_bar_appears_on_a_terminal_for_a_long_scan_and_never_in_a_pipe()
    {
        // script(1) gives the scan a pseudo-terminal, as an interactive user has.
        await using var lab = TestLab.Start(open: 1, closed: 0, filtered: 1);
        // A fixed 3 s timeout: an adaptive one would shrink to the loopback's round trip and end the scan too soon for a bar.
        string[] scan = ["scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}", "--fixed-timeout", "--timeout", "3s", "-w", "1"];
        var command = string.Join(' ', [$"'{Binaries.Coordinator}'", .. scan]);

        var terminal = await PseudoTerminal.RunAsync(command);
        var quiet = await PseudoTerminal.RunAsync(command + " --no-progress");
        var piped = await Binaries.PortScanAsync(scan);

        terminal.ExitCode.ShouldBe(0, terminal.ToString());
        terminal.Stdout.ShouldMatch(@"\[[#.]{30}\] +\d+%  \d+/2 ports  [\d,.]+/s  ETA \d+:\d\d");
        quiet.ExitCode.ShouldBe(0, quiet.ToString());
        quiet.Stdout.ShouldNotContain("ETA");
        piped.Stdout.ShouldNotContain("ETA");
        piped.Stderr.ShouldNotContain("ETA");
    }

    /// <summary>nmap's own reader of XML reports, ndiff, loads the file and finds it equal to itself.</summary>
    private static async Task NmapToolsAcceptAsync(string xmlFile)
    {
        ProcessRun diff;
        try
        {
            diff = await ProcessRun.RunAsync("ndiff", [xmlFile, xmlFile], TimeSpan.FromSeconds(60));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // Not installed here (.ci/run installs it); the DTD check above still ran.
        }
        diff.ExitCode.ShouldBe(0, $"ndiff read the report and found no differences: {diff}");
    }

    private static string? ServiceName(int port) => Services.Value[Transport.Tcp, port];

    private static readonly Lazy<ServiceNames> Services = new(ServiceNames.Load);

    [GeneratedRegex("\"type\":\"port\".*\"state\":\"open\"")]
    private static partial Regex OpenLine();
}
