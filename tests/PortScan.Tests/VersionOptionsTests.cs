using System.Text;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>-sV's options, its database checked before any worker starts, and protocol 7's service message and its checks.</summary>
public class VersionOptionsTests
{
    private static string WriteDatabase(string text)
    {
        var path = Path.Combine(TestTemp.Directory("version-db").FullName, "probes");
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    [TestCase("--version-intensity", "5")]
    [TestCase("--version-light")]
    [TestCase("--version-all")]
    [TestCase("--version-db", "/nonexistent")]
    public async Task A_version_option_without_sV_is_a_usage_error(params string[] option)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(["scan", "127.0.0.1", "-p", "1", .. option]);

        exit.ShouldBe(2);
        stderr.ShouldContain("need -sV");
    }

    [TestCase(new[] { "--version-light", "--version-all" }, "contradict each other")]
    [TestCase(new[] { "--version-intensity", "10" }, "--version-intensity '10' must be a whole number from 0 to 9")]
    [TestCase(new[] { "--version-db", "/nonexistent/probes" }, "--version-db '/nonexistent/probes' does not exist")]
    public async Task A_bad_version_option_is_a_usage_error(string[] options, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(["scan", "127.0.0.1", "-p", "1", "-sV", .. options]);

        exit.ShouldBe(2);
        stderr.ShouldContain(message);
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1, "one line, no stack trace");
    }

    [Test]
    public async Task A_database_with_a_wrong_line_is_refused_before_any_worker_starts()
    {
        var database = WriteDatabase("Probe TCP NULL q||\nmatch ssh m|^SSH-(\\d| p/OpenSSH/\n");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-sV", "--version-db", database);

        exit.ShouldBe(2);
        stderr.Trim().ShouldStartWith($"portscan: --version-db: {database} line 2: the pattern cannot be used");
        stdout.ShouldBeEmpty("nothing was scanned");
    }

    [TestCase(null)]
    [TestCase("/srv/probes")]
    public void A_worker_is_given_a_database_only_when_one_is_named_and_otherwise_reads_its_own(string? database)
    {
        var work = WorkSet.Of([(System.Net.IPAddress.Loopback, PortSelection.OfTcp(PortSet.Of(new PortRange(22, 22))))]);
        var arguments = new WorkerArguments(work, new ProbeSettings(250, 100, 200, 3, 64, 0, 0), 1, true, new VersionDetection(7, database));

        var list = arguments.ToArgumentList().ToList();

        list.Contains("--version-db").ShouldBe(database is not null, "without a name, a worker started through ssh or srun reads the database next to itself");
        WorkerArguments.Parse(list).Version.ShouldBe(arguments.Version);
    }

    [Test]
    public void A_worker_given_a_database_without_an_intensity_refuses_it()
    {
        var error = Should.Throw<FormatException>(() => WorkerArguments.Parse(["--target", "127.0.0.1", "--ports", "22", "--timeout-ms", "250",
            "--concurrency", "1", "--version-db", "/srv/probes"]));

        error.Message.ShouldBe("option '--version-intensity' is required");
    }

    [Test]
    public void A_service_message_reads_back_as_written()
    {
        var sent = new ServiceMessage("127.0.0.1", "tcp", 443, new DetectedService("probed", 10, ["cpe:/a:igor_sysoev:nginx:1.22.1"],
            "http", "nginx", "1.22.1", Tunnel: "ssl"));

        ProtocolCodec.TryParse(ProtocolCodec.Serialize(sent), out var message, out var error).ShouldBeTrue(error);

        var received = message.ShouldBeOfType<ServiceMessage>();
        (received.Target, received.Transport, received.Port).ShouldBe(("127.0.0.1", "tcp", 443));
        received.Service.Cpe.ShouldBe(sent.Service.Cpe);
        (received.Service with { Cpe = sent.Service.Cpe }).ShouldBe(sent.Service);
    }

    [TestCase("closed", "which it had not reported open")]
    [TestCase("twice", "twice")]
    [TestCase("unsafe", "not printable ASCII")]
    public async Task A_worker_whose_service_message_breaks_the_rules_is_not_trusted(string mistake, string problem)
    {
        var database = WriteDatabase("Probe TCP NULL q||\nmatch ssh m|^SSH-| p/OpenSSH/\n");
        const string Service = """{\"type\":\"service\",\"target\":\"$target\",\"transport\":\"tcp\",\"port\":$first,\"service\":{\"name\":\"ssh\",\"cpe\":[],\"method\":\"probed\",\"conf\":10}}""";
        var script = mistake switch
        {
            "closed" => $"hello\necho \"{{\\\"type\\\":\\\"ports\\\",\\\"target\\\":\\\"$target\\\",\\\"transport\\\":\\\"tcp\\\",\\\"open\\\":[],\\\"closed\\\":[$first],\\\"filtered\\\":[],\\\"openFiltered\\\":[]}}\"\necho \"{Service}\"\nexec sleep 60",
            "twice" => $"hello\necho \"{{\\\"type\\\":\\\"ports\\\",\\\"target\\\":\\\"$target\\\",\\\"transport\\\":\\\"tcp\\\",\\\"open\\\":[{{\\\"port\\\":$first,\\\"rttMs\\\":1}}],\\\"closed\\\":[],\\\"filtered\\\":[],\\\"openFiltered\\\":[]}}\"\necho \"{Service}\"\necho \"{Service}\"\nexec sleep 60",
            _ => $"hello\necho \"{{\\\"type\\\":\\\"ports\\\",\\\"target\\\":\\\"$target\\\",\\\"transport\\\":\\\"tcp\\\",\\\"open\\\":[{{\\\"port\\\":$first,\\\"rttMs\\\":1}}],\\\"closed\\\":[],\\\"filtered\\\":[],\\\"openFiltered\\\":[]}}\"\necho \"{Service.Replace("\\\"ssh\\\"", "\\\"s\\\\u0007h\\\"", StringComparison.Ordinal)}\"\nexec sleep 60",
        };

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "-sV", "--version-db", database, "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.Scripted(script));

        run.Stderr.ShouldContain("is not trusted", customMessage: run.ToString());
        run.Stderr.ShouldContain(problem);
    }
}
