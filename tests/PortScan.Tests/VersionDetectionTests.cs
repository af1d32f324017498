using System.Text;
using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// -sV end to end: a real scan with version detection of services written here, each taking one path
/// of nmap's algorithm, with a probe database written here (nmap's format, none of nmap's data).
/// One scan, every report format; each test reads what it is about.
/// </summary>
[NonParallelizable]
public sealed class VersionDetectionTests : IAsyncDisposable
{
    private readonly ProbedServices _services = new();
    private int _http, _soft, _late, _tls, _wrapped, _excluded;
    private JsonReport _json = null!;
    private string _text = "";
    private string _grepable = "";
    private string _csv = "";
    private XDocument _xml = null!;
    private string _xmlPath = "";

    /// <summary>
    /// A TLS 1.2 ClientHello (RFC 5246 §7.4.1.2, RFC 8422, RFC 8446 §4.2.3), written out here for the
    /// test database's TLS probe: a server answers it with its ServerHello.
    /// </summary>
    private static byte[] ClientHello()
    {
        byte[] extensions =
        [
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, // supported groups: x25519, secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // EC point formats: uncompressed
            0x00, 0x0d, 0x00, 0x0a, 0x00, 0x08, 0x08, 0x04, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, // signature algorithms
        ];
        byte[] body =
        [
            0x03, 0x03, .. Enumerable.Range(0, 32).Select(i => (byte)i), 0x00,
            0x00, 0x0c, 0xc0, 0x2f, 0xc0, 0x30, 0xc0, 0x2b, 0xc0, 0x2c, 0x00, 0x9c, 0x00, 0x9d, // cipher suites
            0x01, 0x00, // no compression
            (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions,
        ];
        byte[] handshake = [0x01, 0x00, (byte)(body.Length >> 8), (byte)body.Length, .. body];
        return [0x16, 0x03, 0x01, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
    }

    private static string Database(int excluded) => $"""
        # portscan's test probes: nmap's format, written for these tests.
        Exclude T:{excluded}

        Probe TCP NULL q||
        totalwaitms 500
        tcpwrappedms 400
        match late m|^LATE ([\w.]+)\n| p/Late service/ v/$1/

        Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
        rarity 1
        totalwaitms 1500
        match http m|^HTTP/1\.[01] 200 OK\r\nServer: TestHttp/([\d.]+) \(([^)]+)\)\r\n|s p/TestHttp/ v/$1/ i/$2/ o/Linux/ cpe:/a:example:testhttp:$1/ cpe:/o:linux:linux_kernel/a
        softmatch http m|^HTTP/1\.[01] \d\d\d |

        Probe TCP TlsHello q|{string.Concat(ClientHello().Select(b => $"\\x{b:x2}"))}|
        rarity 1
        totalwaitms 1500
        match ssl m|^\x16\x03[\x00-\x03]..\x02|s
        """;

    [OneTimeSetUp]
    public async Task ScanTheServices()
    {
        _http = _services.HttpOnly("HTTP/1.0 200 OK\r\nServer: TestHttp/1.2 (plain)\r\n\r\n");
        _soft = _services.HttpOnly("HTTP/1.0 404 Not Found\r\n\r\n");
        _late = _services.SpeaksWhenSpokenTo("LATE 2.0\n");
        _tls = _services.TlsOnly("HTTP/1.0 200 OK\r\nServer: TestHttp/3.4 (inside TLS)\r\n\r\n");
        _wrapped = _services.HangsUp();
        _excluded = _services.HttpOnly("HTTP/1.0 200 OK\r\nServer: TestHttp/9.9 (excluded)\r\n\r\n");
        var directory = TestTemp.Directory("version-detection");
        var database = Path.Combine(directory.FullName, "probes");
        await File.WriteAllTextAsync(database, Database(_excluded), Encoding.Latin1);
        string Output(string name) => Path.Combine(directory.FullName, name);
        _xmlPath = Output("scan.xml");

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", string.Join(',', new[] { _http, _soft, _late, _tls, _wrapped, _excluded }.Order()),
            "-sV", "--version-db", database, "--format", "json", "-o", Output("scan.json"), "-oN", Output("scan.nmap"), "-oX", _xmlPath,
            "-oG", Output("scan.gnmap"), "--no-progress");
        run.ExitCode.ShouldBe(0, run.ToString());
        var csv = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{_http},{_tls}", "-sV", "--version-db", database, "--format", "csv", "--no-progress");
        csv.ExitCode.ShouldBe(0, csv.ToString());
        _csv = csv.Stdout;

        _json = JsonReport.Parse(await File.ReadAllTextAsync(Output("scan.json")));
        _text = await File.ReadAllTextAsync(Output("scan.nmap"));
        _grepable = await File.ReadAllTextAsync(Output("scan.gnmap"));
        _xml = XDocument.Load(_xmlPath);
    }

    /// <summary>NUnit disposes a fixture after its last test: the services stop then.</summary>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private JsonService Service(int port) => _json.Hosts[0].Ports.Single(p => p.Port == port).Service.ShouldNotBeNull();

    [Test]
    public void A_service_that_answers_only_an_HTTP_request_is_found_by_the_GetRequest_probe()
    {
        var service = Service(_http);

        service.Name.ShouldBe("http");
        var detected = service.Detected.ShouldNotBeNull();
        (detected.Product, detected.Version, detected.ExtraInfo, detected.OsType).ShouldBe(("TestHttp", "1.2", "plain", "Linux"));
        (detected.Method, detected.Conf, detected.Tunnel).ShouldBe(("probed", 10, (string?)null));
        detected.Cpe.ShouldBe(["cpe:/a:example:testhttp:1.2", "cpe:/o:linux:linux_kernel"]);
    }

    [Test]
    public void A_service_that_speaks_only_when_spoken_to_gets_the_next_probe_on_the_NULL_probes_connection()
    {
        var service = Service(_late);

        (service.Name, service.Detected!.Product, service.Detected.Version).ShouldBe(("late", "Late service", "2.0"));
        _services.Connections(_late).ShouldBeLessThanOrEqualTo(2, "one connect for the port scan, one for the NULL probe and the GetRequest after its silence");
    }

    [Test]
    public void A_service_that_speaks_only_TLS_is_looked_at_inside_TLS_and_reported_as_ssl_http()
    {
        var service = Service(_tls);

        (service.Name, service.Detected!.Tunnel, service.Detected.Product, service.Detected.Version).ShouldBe(("http", "ssl", "TestHttp", "3.4"));
        _text.ShouldContain($"{_tls}/tcp");
        _text.Split('\n').Single(l => l.StartsWith($"{_tls}/tcp", StringComparison.Ordinal)).ShouldContain("ssl/http");
    }

    [Test]
    public void A_soft_match_names_the_service_without_a_version()
    {
        var service = Service(_soft);

        (service.Name, service.Detected!.Product, service.Detected.Method, service.Detected.Conf).ShouldBe(("http", (string?)null, "probed", 10));
    }

    [Test]
    public void A_service_that_hangs_up_at_once_is_tcpwrapped()
    {
        var service = Service(_wrapped);

        (service.Name, service.Detected!.Method, service.Detected.Conf).ShouldBe(("tcpwrapped", "probed", 8));
    }

    [Test]
    public void A_port_the_database_excludes_is_not_probed()
    {
        var service = Service(_excluded);

        (service.Detected!.Product, service.Detected.Method, service.Detected.Conf).ShouldBe(("Excluded from version scan", "table", 3));
    }

    /// <summary>A probe file whose one UDP probe sends "ping" and knows the "pong" it gets back.</summary>
    private static async Task<string> PongDatabaseAsync()
    {
        var database = Path.Combine(TestTemp.Directory("udp-version").FullName, "probes");
        await File.WriteAllTextAsync(database, """
            Probe TCP NULL q||
            totalwaitms 500

            Probe UDP Ping q|ping|
            rarity 1
            totalwaitms 1000
            match pong m|^pong$| p/Pong responder/
            """, Encoding.Latin1);
        return database;
    }

    [Test]
    public async Task An_open_UDP_port_is_probed_with_the_databases_UDP_probes()
    {
        await using var udp = new LoopbackServices();
        var port = udp.UdpAnswering();
        var database = await PongDatabaseAsync();

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-sU", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-sV", "--version-db", database, "--format", "json", "--no-progress");

        run.ExitCode.ShouldBe(0, run.ToString());
        var found = JsonReport.Parse(run.Stdout).Hosts[0].Ports.ShouldHaveSingleItem();
        (found.Protocol, found.Service?.Name, found.Service?.Detected?.Product).ShouldBe(("udp", "pong", "Pong responder"));
    }

    [Test]
    public async Task A_UDP_port_open_or_filtered_to_the_scan_that_answers_a_probe_is_open_and_a_silent_one_stays_open_or_filtered()
    {
        await using var udp = new LoopbackServices();
        var (answering, silent) = (udp.UdpAnsweringPingOnly(), udp.UdpSilent());
        var database = await PongDatabaseAsync();
        var ports = $"{Math.Min(answering, silent)},{Math.Max(answering, silent)}";

        var plain = await Binaries.PortScanAsync("scan", "127.0.0.1", "-sU", "-p", ports, "--open", "--format", "json", "--no-progress");
        var probed = await Binaries.PortScanAsync("scan", "127.0.0.1", "-sU", "-p", ports, "--open", "-sV", "--version-db", database, "--format", "json", "--no-progress");

        plain.ExitCode.ShouldBe(0, plain.ToString());
        JsonReport.Parse(plain.Stdout).Hosts[0].Ports.Select(p => p.State).ShouldBe(["open|filtered", "open|filtered"], "neither answers an empty datagram");
        probed.ExitCode.ShouldBe(0, probed.ToString());
        var report = JsonReport.Parse(probed.Stdout);
        var found = report.Hosts[0].Ports.Single(p => p.Port == answering);
        (found.State, found.Reason, found.Service?.Name, found.Service?.Detected?.Product).ShouldBe(("open", "udp-response", "pong", "Pong responder"));
        var quiet = report.Hosts[0].Ports.Single(p => p.Port == silent);
        (quiet.State, quiet.Service?.Detected).ShouldBe(("open|filtered", null), "no answer: still open|filtered, no service probed");
        report.Hosts[0].Counts.ShouldBe(new JsonCounts(1, 0, 0, 1, 0));
    }

    [Test]
    public void The_text_report_has_nmaps_VERSION_column_and_Service_Info_line()
    {
        var lines = _text.Split('\n');

        lines.ShouldContain(l => l.StartsWith("PORT", StringComparison.Ordinal) && l.Contains("SERVICE", StringComparison.Ordinal) && l.EndsWith("VERSION", StringComparison.Ordinal));
        lines.Single(l => l.StartsWith($"{_http}/tcp", StringComparison.Ordinal)).ShouldMatch(@"^\d+/tcp +open +http +TestHttp 1\.2 \(plain\)$");
        lines.ShouldContain("Service Info: OS: Linux; CPE: cpe:/o:linux:linux_kernel");
    }

    [Test]
    public async Task The_XML_report_has_nmaps_service_element_and_is_valid_against_nmaps_DTD()
    {
        var port = _xml.Descendants("port").Single(p => p.Attribute("portid")!.Value == _http.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var service = port.Element("service").ShouldNotBeNull();

        (service.Attribute("name")?.Value, service.Attribute("product")?.Value, service.Attribute("version")?.Value, service.Attribute("extrainfo")?.Value)
            .ShouldBe(("http", "TestHttp", "1.2", "plain"));
        (service.Attribute("ostype")?.Value, service.Attribute("method")?.Value, service.Attribute("conf")?.Value).ShouldBe(("Linux", "probed", "10"));
        service.Elements("cpe").Select(c => c.Value).ShouldBe(["cpe:/a:example:testhttp:1.2", "cpe:/o:linux:linux_kernel"]);
        _xml.Descendants("port").Single(p => p.Attribute("portid")!.Value == _tls.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Element("service")!.Attribute("tunnel")?.Value.ShouldBe("ssl");
        var validation = await NmapDtd.ValidateAsync(_xmlPath);
        validation.ExitCode.ShouldBe(0, validation.ToString());
    }

    [Test]
    public void The_grepable_report_writes_service_and_version_as_nmap_does()
    {
        var ports = _grepable.Split('\n').Single(l => l.Contains("Ports:", StringComparison.Ordinal));

        ports.ShouldContain($"{_http}/open/tcp//http//TestHttp 1.2 (plain)/");
        ports.ShouldContain($"{_tls}/open/tcp//ssl|http//TestHttp 3.4 (inside TLS)/");
    }

    [Test]
    public void The_CSV_report_adds_the_version_columns_after_the_usual_ones()
    {
        var rows = _csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        rows[0].ShouldBe($"{CsvReport.Header},{CsvReport.VersionColumns}");
        rows.ShouldContain(r => r.StartsWith($"127.0.0.1,127.0.0.1,{_tls},tcp,open,http,", StringComparison.Ordinal)
            && r.EndsWith(",syn-ack,TestHttp,3.4,inside TLS,,Linux,,cpe:/a:example:testhttp:3.4 cpe:/o:linux:linux_kernel,probed,10,ssl", StringComparison.Ordinal));
    }
}
