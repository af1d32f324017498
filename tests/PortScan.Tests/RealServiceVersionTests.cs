using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// -sV against real services from Debian's packages, started by this test on their usual ports in a
/// network namespace of its own (unshare -rn), each a child of the test's shell and waited for;
/// once with portscan's own database (the default) and once with nmap's own file, read where nmap's
/// package installed it (--version-db). Each service must be found with the product and the version
/// its package has. A service whose package is not installed is skipped, and says so.
/// </summary>
[NonParallelizable]
[TestFixture("portscan's own")]
[TestFixture("nmap's")]
public class RealServiceVersionTests(string database)
{
    private const string NmapFile = "/usr/share/nmap/nmap-service-probes";

    private bool NmapDatabase => database == "nmap's";

    private static readonly (string Package, string Binary, int Port)[] Services =
    [
        ("vsftpd", "/usr/sbin/vsftpd", 21),
        ("openssh-server", "/usr/sbin/sshd", 22),
        ("nginx", "/usr/sbin/nginx", 80),
        ("mariadb-server", "/usr/sbin/mariadbd", 3306),
        ("redis-server", "/usr/bin/redis-server", 6379),
    ];

    private readonly Dictionary<string, string> _versions = [];
    private JsonReport? _report;
    private string? _unavailable;

    [OneTimeSetUp]
    public async Task ScanTheServices()
    {
        if (NmapDatabase && !File.Exists(NmapFile))
        {
            _unavailable = $"{NmapFile} is not installed (apt-get install nmap)";
            return;
        }
        var probe = await ProcessRun.RunAsync("unshare", ["-rn", "true"], TimeSpan.FromSeconds(20));
        if (probe.ExitCode != 0)
        {
            _unavailable = $"cannot make a private network namespace here: {probe.Stderr.Trim()}";
            return;
        }
        var directory = TestTemp.Directory("real-services");
        var script = new StringBuilder("set -u\npids=\"\"\nip link set lo up\n");
        var ports = new List<int>();
        foreach (var (package, binary, port) in Services)
        {
            if (!File.Exists(binary) || await PackageVersionAsync(package) is not { } version)
            {
                continue;
            }
            _versions[package] = version;
            script.Append(await StartAsync(package, directory.FullName)).Append('\n');
            ports.Add(port);
            if (package == "nginx")
            {
                ports.Add(443);
            }
        }
        var json = Path.Combine(directory.FullName, "scan.json");
        script.Append($$"""
            for port in {{string.Join(' ', ports)}}; do
              for i in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
            done
            '{{Binaries.Coordinator}}' scan 127.0.0.1 -p {{string.Join(',', ports)}} -sV {{(NmapDatabase ? $"--version-db {NmapFile}" : "")}} --format json -o '{{json}}' --no-progress
            code=$?
            kill $pids; wait $pids
            exit $code
            """);
        var run = await ProcessRun.RunAsync("unshare", ["-rn", "bash", "-c", script.ToString()], TimeSpan.FromMinutes(3));
        run.ExitCode.ShouldBe(0, run.ToString());
        _report = JsonReport.Parse(await File.ReadAllTextAsync(json));
    }

    /// <summary>The shell lines that start one service in <paramref name="directory"/>, in the foreground of its own job, with its pid kept.</summary>
    private static async Task<string> StartAsync(string package, string directory)
    {
        var home = Path.Combine(directory, package);
        Directory.CreateDirectory(home);
        switch (package)
        {
            case "openssh-server":
                using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    await File.WriteAllTextAsync(Path.Combine(home, "host_key"), key.ExportECPrivateKeyPem());
                }
                File.SetUnixFileMode(Path.Combine(home, "host_key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await File.WriteAllTextAsync(Path.Combine(home, "sshd_config"), $"HostKey {home}/host_key\nPidFile none\nUsePAM no\nListenAddress 127.0.0.1\n");
                return $"/usr/sbin/sshd -D -e -f '{home}/sshd_config' -p 22 2>'{home}/log' & pids=\"$pids $!\"";
            case "nginx":
                // A self-signed certificate made here for the TLS server.
                using (var key = RSA.Create(2048))
                {
                    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                    await File.WriteAllTextAsync(Path.Combine(home, "cert.pem"), certificate.ExportCertificatePem());
                    await File.WriteAllTextAsync(Path.Combine(home, "key.pem"), key.ExportPkcs8PrivateKeyPem());
                }
                Directory.CreateDirectory(Path.Combine(home, "www"));
                await File.WriteAllTextAsync(Path.Combine(home, "www", "index.html"), "portscan test\n");
                await File.WriteAllTextAsync(Path.Combine(home, "nginx.conf"), $$"""
                    user root root;
                    daemon off;
                    master_process off;
                    pid {{home}}/nginx.pid;
                    error_log {{home}}/error.log;
                    events {}
                    http {
                      access_log off;
                      client_body_temp_path {{home}}/body;
                      proxy_temp_path {{home}}/proxy;
                      fastcgi_temp_path {{home}}/fastcgi;
                      uwsgi_temp_path {{home}}/uwsgi;
                      scgi_temp_path {{home}}/scgi;
                      server { listen 127.0.0.1:80; root {{home}}/www; }
                      server { listen 127.0.0.1:443 ssl; ssl_certificate {{home}}/cert.pem; ssl_certificate_key {{home}}/key.pem; root {{home}}/www; }
                    }
                    """);
                return $"/usr/sbin/nginx -p '{home}' -c '{home}/nginx.conf' & pids=\"$pids $!\"";
            case "redis-server":
                return $"/usr/bin/redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --dir '{home}' >'{home}/log' & pids=\"$pids $!\"";
            case "mariadb-server":
                return $"""
                    mariadb-install-db --no-defaults --datadir='{home}/data' --user=root --auth-root-authentication-method=normal --skip-test-db >'{home}/install.log' 2>&1
                    /usr/sbin/mariadbd --no-defaults --datadir='{home}/data' --socket='{home}/socket' --pid-file='{home}/pid' --port=3306 --bind-address=127.0.0.1 --user=root >'{home}/log' 2>&1 & pids="$pids $!"
                    """;
            default:
                Directory.CreateDirectory(Path.Combine(home, "empty"));
                await File.WriteAllTextAsync(Path.Combine(home, "vsftpd.conf"), $"""
                    listen=YES
                    listen_ipv6=NO
                    listen_address=127.0.0.1
                    listen_port=21
                    background=NO
                    anonymous_enable=NO
                    local_enable=YES
                    run_as_launching_user=YES
                    seccomp_sandbox=NO
                    isolate=NO
                    isolate_network=NO
                    secure_chroot_dir={home}/empty

                    """);
                return $"/usr/sbin/vsftpd '{home}/vsftpd.conf' & pids=\"$pids $!\"";
        }
    }

    /// <summary>The installed package's version (dpkg's, e.g. 1:9.2p1-2+deb12u10); null when it is not installed.</summary>
    private static async Task<string?> PackageVersionAsync(string package)
    {
        try
        {
            var run = await ProcessRun.RunAsync("dpkg-query", ["-W", "-f=${Version}", package], TimeSpan.FromSeconds(20));
            return run.ExitCode == 0 && run.Stdout.Trim().Length > 0 ? run.Stdout.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The upstream version and the Debian revision of a dpkg version: "1:9.2p1-2+deb12u10" is ("9.2p1", "2+deb12u10").</summary>
    private static (string Upstream, string Revision) Split(string version)
    {
        var noEpoch = version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var dash = noEpoch.LastIndexOf('-');
        return dash < 0 ? (noEpoch, "") : (noEpoch[..dash], noEpoch[(dash + 1)..]);
    }

    private JsonService Found(string package, int port)
    {
        if (_unavailable is not null)
        {
            Assert.Ignore(_unavailable);
        }
        if (!_versions.ContainsKey(package))
        {
            Assert.Ignore($"{package} is not installed (apt-get install {package})");
        }
        var found = _report!.Hosts[0].Ports.SingleOrDefault(p => p.Port == port).ShouldNotBeNull($"port {port} ({package}) is not open");
        return found.Service.ShouldNotBeNull();
    }

    [Test]
    public void OpenSSH_is_found_with_its_packages_version()
    {
        var (upstream, revision) = Split(_versions.GetValueOrDefault("openssh-server", ""));
        var service = Found("openssh-server", 22);

        (service.Name, service.Detected!.Product).ShouldBe(("ssh", "OpenSSH"));
        service.Detected.Version.ShouldNotBeNull().ShouldStartWith(upstream);
        // nmap's file puts Debian's revision in the version ("9.2p1 Debian 2+deb12u10"), portscan's in
        // the extra info ("Debian-2+deb12u10; protocol 2.0"): the service says it, both report it.
        $"{service.Detected.Version} {service.Detected.ExtraInfo}".ShouldContain(revision);
    }

    [TestCase(80, null)]
    [TestCase(443, "ssl")]
    public void Nginx_is_found_with_its_packages_version_plain_and_inside_TLS(int port, string? tunnel)
    {
        var (upstream, _) = Split(_versions.GetValueOrDefault("nginx", ""));
        var service = Found("nginx", port);

        (service.Name, service.Detected!.Product, service.Detected.Version, service.Detected.Tunnel).ShouldBe(("http", "nginx", upstream, tunnel));
    }

    [Test]
    public void Redis_is_found_with_its_packages_version()
    {
        var (upstream, _) = Split(_versions.GetValueOrDefault("redis-server", ""));
        var service = Found("redis-server", 6379);

        service.Name.ShouldBe("redis");
        service.Detected!.Product.ShouldNotBeNull().ShouldContain("Redis");
        service.Detected.Version.ShouldBe(upstream);
    }

    [Test]
    public void MariaDB_is_found_with_its_packages_version()
    {
        var (upstream, revision) = Split(_versions.GetValueOrDefault("mariadb-server", ""));
        var service = Found("mariadb-server", 3306);

        service.Name.ShouldBe("mysql");
        // nmap's file reports the handshake's version string whole ("5.5.5-10.11.19-MariaDB-0+deb12u1");
        // portscan's says MariaDB 10.11.19 with Debian's revision as extra info.
        var detected = service.Detected!;
        if (NmapDatabase)
        {
            detected.Version.ShouldNotBeNull().ShouldContain($"{upstream}-MariaDB-{revision}");
        }
        else
        {
            (detected.Product, detected.Version, detected.ExtraInfo).ShouldBe(("MariaDB", upstream, revision));
        }
    }

    [Test]
    public void Vsftpd_is_found_with_its_packages_version()
    {
        var (upstream, _) = Split(_versions.GetValueOrDefault("vsftpd", ""));
        var service = Found("vsftpd", 21);

        (service.Name, service.Detected!.Product, service.Detected.Version).ShouldBe(("ftp", "vsftpd", upstream));
    }
}
