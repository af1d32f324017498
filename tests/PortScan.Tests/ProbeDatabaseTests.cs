using System.Text;
using PortScan.Tests.Support;
using PortScan.Worker.ServiceDetection;

namespace PortScan.Tests;

/// <summary>The nmap-service-probes format, over a database written here: every directive, every template, every way a line is wrong.</summary>
public class ProbeDatabaseTests
{
    private const string Database = """
        # A database in nmap's format, written for these tests.
        Exclude 9100-9102,U:161

        Probe TCP NULL q||
        totalwaitms 600
        tcpwrappedms 300
        match ftp m|^220 ([\w.-]+) FTP server \(Version ([\d.]+)\)|i p/Example FTPd/ v/$2/ h/$1/ o/Unix/ cpe:/a:example:ftpd:$2/ cpe:/o:example:os/
        softmatch ftp m|^220 |

        Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
        rarity 1
        ports 80,8000-8002
        sslports 443
        fallback Helper
        match http m|^HTTP/1\.0 200 OK\r\n.*Server: Example/([\d.]+) \(([^)]+)\)|s p/Example httpd/ v/$1/ i/$2/ d/router/
        match http m|^HTTP/1\.0 200 OK\r\n.*Name: (.+?)\r\n|s p/$P(1)/
        match http m|^HTTP/1\.0 200 OK\r\n.*Build: (\S+)\r\n|s v/$SUBST(1,"_",".")/
        match binary m|^BIN(..)(....)|s v/$I(1,">")/ i/$I(2,"<")/
        softmatch http m|^HTTP/1\.[01] \d\d\d|

        Probe UDP Status q|\xff\xff\xff\xffstatus\0|
        rarity 8
        ports 27960

        Probe TCP Helper q|HELP\r\n|
        rarity 9
        match helper m|^HELPER ([\d.]+)| p/Helper/ v/$1/
        """;

    private static ProbeDatabase Parse(string text) => ProbeDatabase.Parse(text, "test-probes");

    private static MatchDetails? Answer(ServiceProbe probe, string response)
    {
        foreach (var fallback in probe.Fallbacks)
        {
            if (fallback.Test(response) is { } match)
            {
                return match;
            }
        }
        return null;
    }

    [Test]
    public void Every_directive_of_a_probe_is_read()
    {
        var database = Parse(Database);

        var nullProbe = database.NullProbe.ShouldNotBeNull();
        nullProbe.TotalWaitMs.ShouldBe(600);
        nullProbe.TcpWrappedMs.ShouldBe(300);
        nullProbe.Matches.Count.ShouldBe(2);
        nullProbe.Matches[1].Soft.ShouldBeTrue();
        database.Probes.Select(p => p.Name).ShouldBe(["GetRequest", "Status", "Helper"]);
        var get = database.Probes[0];
        get.Payload.ShouldBe(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"));
        get.Rarity.ShouldBe(1);
        get.TotalWaitMs.ShouldBe(ServiceProbe.DefaultTotalWaitMs);
        get.IsFor(8001, tls: false).ShouldBeTrue();
        get.IsFor(443, tls: false).ShouldBeFalse();
        get.IsFor(443, tls: true).ShouldBeTrue();
        get.Fallbacks.Select(p => p.Name).ShouldBe(["GetRequest", "Helper", "NULL"]);
        database.Probes[1].Transport.ShouldBe(Transport.Udp);
        database.Probes[1].Payload.ShouldBe([0xff, 0xff, 0xff, 0xff, .. Encoding.ASCII.GetBytes("status"), 0]);
        database.Probes[1].Fallbacks.Select(p => p.Name).ShouldBe(["Status"], "a UDP probe never falls back to the TCP NULL probe");
        database.Excluded.Tcp.ToString().ShouldBe("9100-9102");
        database.Excluded.Udp.ToString().ShouldBe("161,9100-9102");
    }

    [Test]
    public void Templates_fill_in_groups_caselessly_matched_with_cpe_lower_cased()
    {
        var database = Parse(Database);

        var match = Answer(database.NullProbe!, "220 Files.Example.ORG ftp SERVER (Version 2.4.1)\r\n").ShouldNotBeNull();

        match.Service.ShouldBe("ftp");
        match.Soft.ShouldBeFalse();
        (match.Product, match.Version, match.Hostname, match.OsType).ShouldBe(("Example FTPd", "2.4.1", "Files.Example.ORG", "Unix"));
        match.CpeA.ShouldBe("cpe:/a:example:ftpd:2.4.1");
        match.CpeO.ShouldBe("cpe:/o:example:os");
    }

    [Test]
    public void An_answer_falls_back_to_the_probes_it_names_then_to_the_NULL_probe()
    {
        var get = Parse(Database).Probes[0];

        Answer(get, "HELPER 1.5\r\n").ShouldNotBeNull().Product.ShouldBe("Helper");
        Answer(get, "220 box FTP server (Version 3)\r\n").ShouldNotBeNull().Service.ShouldBe("ftp");
    }

    [Test]
    public void The_dollar_P_SUBST_and_I_helpers_work_as_nmaps()
    {
        var get = Parse(Database).Probes[0];

        var withInfo = Answer(get, "HTTP/1.0 200 OK\r\nServer: Example/1.2 (Debian,  )\r\n\r\n").ShouldNotBeNull();
        (withInfo.Product, withInfo.Version, withInfo.ExtraInfo, withInfo.DeviceType).ShouldBe(("Example httpd", "1.2", "Debian", "router"), "trailing spaces and commas are cut");
        Answer(get, "HTTP/1.0 200 OK\r\nName: W\0O\0R\0K\0\r\n").ShouldNotBeNull().Product.ShouldBe("WORK");
        Answer(get, "HTTP/1.0 200 OK\r\nBuild: 4_2_1\r\n").ShouldNotBeNull().Version.ShouldBe("4.2.1");
        var binary = Answer(get, Encoding.Latin1.GetString([.. "BIN"u8, 0x01, 0x02, 0x10, 0x00, 0x00, 0x00])).ShouldNotBeNull();
        (binary.Version, binary.ExtraInfo).ShouldBe(("258", "16"));
        var soft = Answer(get, "HTTP/1.1 404 Not Found\r\n\r\n").ShouldNotBeNull();
        (soft.Service, soft.Soft).ShouldBe(("http", true));
    }

    [Test]
    public void Probes_are_tried_in_nmaps_order_up_to_the_intensity()
    {
        var database = Parse(Database);

        string[] Order(int port, int intensity, string? soft = null)
        {
            var sequence = new ProbeSequence(database, Transport.Tcp, port, intensity);
            var names = new List<string>();
            while (sequence.Next(soft) is { } probe)
            {
                names.Add(probe.Name);
            }
            return [.. names];
        }

        Order(8000, 7).ShouldBe(["NULL", "GetRequest"]);
        Order(8000, 9).ShouldBe(["NULL", "GetRequest", "Helper"]);
        Order(8000, 0).ShouldBe(["NULL", "GetRequest"], "a probe meant for the port is sent whatever its rarity");
        Order(22, 0).ShouldBe(["NULL"]);
        Order(22, 9, soft: "http").ShouldBe(["NULL", "GetRequest", "Helper"], "--version-all is not narrowed by a soft match");
        Order(22, 8, soft: "helper").ShouldBe(["NULL", "Helper"], "after a soft match only probes that can name the service, whatever their rarity");
    }

    [TestCase("Probe TCP NULL q||\nmatch x m|a| z/b/", 2, "unknown template specifier 'z'")]
    [TestCase("Probe TCP NULL q||\nmatch x m|a|q", 2, "illegal pattern option 'q'")]
    [TestCase("Probe TCP NULL q||\nmatch x m|a(|", 2, "the pattern cannot be used: a group is not closed")]
    [TestCase("Probe TCP NULL q||\nrarity 10", 2, "rarity must be a whole number from 1 to 9")]
    [TestCase("Probe TCP NULL q||\ntotalwaitms 50", 2, "totalwaitms must be a whole number from 100 to 300000")]
    [TestCase("Probe TCP NULL q||\nports 80-70", 2, "backwards")]
    [TestCase("Probe TCP NULL q||\nbogus 1", 2, "unknown directive 'bogus'")]
    [TestCase("Probe TCP NULL q||\nExclude 1", 2, "Exclude must come before every Probe")]
    [TestCase("Probe SCTP X q|a|", 1, "TCP or UDP")]
    [TestCase("Probe TCP X q|\\q|", 1, "bad escape")]
    [TestCase("Probe TCP X q|a|\nfallback Missing", 1, "which no probe is called")]
    [TestCase("match x m|a|", 1, "before the first Probe")]
    public void A_wrong_line_is_refused_with_its_number(string text, int line, string problem)
    {
        var error = Should.Throw<ProbeFileException>(() => Parse(text).Check("test-probes"));

        error.Line.ShouldBe(line);
        error.Message.ShouldStartWith($"test-probes line {line}: ");
        error.Message.ShouldContain(problem);
    }

    [Test]
    public void A_database_read_from_a_file_is_read_as_Latin1()
    {
        var directory = TestTemp.Directory("probe-file");
        var path = Path.Combine(directory.FullName, "probes");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes("Probe TCP NULL q||\nmatch latin m|^caf\u00e9 (\\d)| p/Caf\u00e9/ v/$1/\n"));

        var database = ProbeDatabase.Load(path);

        var match = database.NullProbe!.Test(Encoding.Latin1.GetString([.. "caf"u8, 0xE9, .. " 7"u8])).ShouldNotBeNull();
        match.Version.ShouldBe("7");
        match.Product.ShouldBe("Caf\u00e9", "templates keep the byte; the report replaces what is not printable ASCII, as nmap does");
    }
}
