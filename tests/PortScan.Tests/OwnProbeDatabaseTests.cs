using System.Text;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// -sV without --version-db: portscan's own database, the file its build copies next to the worker,
/// on services written here that answer as real ones do (an Apache that answers only a GET, the same
/// inside TLS only, an OpenSSH greeting, a port that hangs up at once). Their ports are the kernel's
/// pick, so no probe is meant for them: the probes go by rarity, as on an unusual port. One scan;
/// each test reads its port.
/// </summary>
[NonParallelizable]
public sealed class OwnProbeDatabaseTests : IAsyncDisposable
{
    private const string Apache = "HTTP/1.1 200 OK\r\nServer: Apache/2.4.62 (Debian)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private readonly ProbedServices _services = new();
    private readonly LoopbackServices _greeters = new();
    private int _http, _tls, _ssh, _wrapped;
    private JsonReport _json = null!;

    [OneTimeSetUp]
    public async Task ScanTheServices()
    {
        _http = _services.HttpOnly(Apache);
        _tls = _services.TlsOnly(Apache);
        _ssh = _greeters.TcpGreeting(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"));
        _wrapped = _services.HangsUp();

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", string.Join(',', new[] { _http, _tls, _ssh, _wrapped }.Order()),
            "-sV", "--format", "json", "--no-progress");

        run.ExitCode.ShouldBe(0, run.ToString());
        _json = JsonReport.Parse(run.Stdout);
    }

    /// <summary>NUnit disposes a fixture after its last test: the services stop then.</summary>
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _greeters.DisposeAsync();
    }

    private JsonService Service(int port) => _json.Hosts[0].Ports.Single(p => p.Port == port).Service.ShouldNotBeNull();

    [Test]
    public void The_database_portscan_ships_is_next_to_the_worker()
    {
        File.Exists(Path.Combine(Path.GetDirectoryName(Binaries.Worker)!, "portscan-service-probes")).ShouldBeTrue();
    }

    [Test]
    public void A_web_server_that_answers_only_a_GET_is_found_with_its_product_and_version()
    {
        var service = Service(_http);

        (service.Name, service.Detected!.Product, service.Detected.Version, service.Detected.ExtraInfo, service.Detected.Tunnel)
            .ShouldBe(("http", "Apache httpd", "2.4.62", "Debian", (string?)null));
        service.Detected.Cpe.ShouldContain("cpe:/a:apache:http_server:2.4.62");
    }

    [Test]
    public void A_web_server_that_speaks_only_TLS_is_found_inside_it_as_ssl_http()
    {
        var service = Service(_tls);

        (service.Name, service.Detected!.Product, service.Detected.Version, service.Detected.Tunnel).ShouldBe(("http", "Apache httpd", "2.4.62", "ssl"));
    }

    [Test]
    public void A_service_that_greets_is_found_by_the_NULL_probe()
    {
        var service = Service(_ssh);

        (service.Name, service.Detected!.Product, service.Detected.Version).ShouldBe(("ssh", "OpenSSH", "9.2p1"));
    }

    [Test]
    public void A_port_that_hangs_up_at_once_is_tcpwrapped()
    {
        var service = Service(_wrapped);

        (service.Name, service.Detected!.Method, service.Detected.Conf).ShouldBe(("tcpwrapped", "probed", 8));
    }
}
