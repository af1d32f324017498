using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The coordinator's side of the rate and timing messages, and of the hello's probe settings, with
/// stand-in workers that say exactly what the test needs (and send nothing to the network).
/// </summary>
public class NetworkReportTests
{
    /// <summary>
    /// Worker 0 says two timings for its host, the first of which the second replaces; worker 1
    /// timed more answers, so the round-trip figures are its.
    /// </summary>
    private const string TwoWorkersTiming = """
        hello
        if [ "$id" = 0 ]; then
          echo "{\"type\":\"rate\",\"target\":\"$target\",\"rate\":40,\"reason\":\"11 of 34 probes dropped\"}"
          echo "{\"type\":\"timing\",\"target\":\"$target\",\"srttMs\":9,\"rttVarMs\":9,\"timeoutMs\":900,\"rttSamples\":9,\"probes\":900,\"retries\":900,\"drops\":900,\"tries\":9}"
          echo "{\"type\":\"timing\",\"target\":\"$target\",\"srttMs\":0.5,\"rttVarMs\":0.25,\"timeoutMs\":120,\"rttSamples\":3,\"probes\":4,\"retries\":1,\"drops\":1,\"tries\":2}"
        else
          echo "{\"type\":\"rate\",\"target\":\"$target\",\"rate\":0,\"reason\":\"no drops in the last 200 probes\"}"
          echo "{\"type\":\"timing\",\"target\":\"$target\",\"srttMs\":0.08,\"rttVarMs\":0.05,\"timeoutMs\":100,\"rttSamples\":5,\"probes\":2,\"retries\":1,\"drops\":0,\"tries\":3}"
        fi
        """;

    [Test]
    public async Task What_the_network_did_to_a_host_reaches_the_json_xml_and_text_reports()
    {
        var directory = TestTemp.Directory("network");
        var json = Path.Combine(directory.FullName, "scan.json");
        var xml = Path.Combine(directory.FullName, "scan.xml");
        var text = Path.Combine(directory.FullName, "scan.nmap");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-2", "-w", "2", "--show-closed",
            "--format", "json", "-o", json, "-oX", xml, "-oN", text, "--worker-path", WorkerDoubles.Scripted(TwoWorkersTiming));

        exit.ShouldBe(0, $"stderr: {stderr}");
        JsonReport.Parse(File.ReadAllText(json)).Hosts.ShouldHaveSingleItem().Network
            .ShouldBe(new JsonNetwork(0.08, 0.05, 100, 8, 6, 2, 1, 3), "counts add up; the round trip is the worker's with the most answers timed");

        (await NmapDtd.ValidateAsync(xml)).ExitCode.ShouldBe(0, "the times element stands where nmap.dtd wants it");
        var times = XDocument.Load(xml).Root!.Element("host")!.Elements().Last();
        times.Name.LocalName.ShouldBe("times");
        (times.Attribute("srtt")!.Value, times.Attribute("rttvar")!.Value, times.Attribute("to")!.Value).ShouldBe(("80", "50", "100000"), "microseconds, as nmap writes them");

        const string network = "Network: srtt 0.08 ms, rttvar 0.05 ms, timeout 100 ms; 6 probes, 2 retries, 1 drop inferred, 3 tries a silent port";
        File.ReadAllLines(text).ShouldContain(network);
        stdout.Split('\n').ShouldContain(network, "stdout shows the scan as text");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task A_host_no_worker_sent_timing_for_has_no_network_figures()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--format", "json",
            "--worker-path", WorkerDoubles.Scripted("hello"));

        exit.ShouldBe(0, $"stderr: {stderr}");
        stdout.ShouldNotContain("\"network\"");
        JsonReport.Parse(stdout).Hosts[0].Network.ShouldBeNull();
    }

    [Test]
    public async Task A_host_whose_answers_were_never_timed_has_counts_but_no_round_trip()
    {
        var directory = TestTemp.Directory("network");
        var xml = Path.Combine(directory.FullName, "scan.xml");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "-oX", xml, "--worker-path", WorkerDoubles.Scripted("""
            hello
            echo "{\"type\":\"timing\",\"target\":\"$target\",\"srttMs\":0,\"rttVarMs\":0,\"timeoutMs\":1000,\"rttSamples\":0,\"probes\":1,\"retries\":0,\"drops\":0,\"tries\":1}"
            """));

        exit.ShouldBe(0, $"stderr: {stderr}");
        stdout.Split('\n').ShouldContain("Network: no answer timed, timeout 1 s; 1 probe, 0 retries, 0 drops inferred, 1 try a silent port");
        XDocument.Load(xml).Descendants("times").ShouldBeEmpty("nmap writes times only once a round trip was timed");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task A_change_of_pace_is_logged_with_the_worker_id_under_verbose()
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1-2", "-w", "2", "-v", "--worker-path", WorkerDoubles.Scripted(TwoWorkersTiming));
        var quiet = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1-2", "-w", "2", "--worker-path", WorkerDoubles.Scripted(TwoWorkersTiming));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("worker 0: 127.0.0.1: at most 40 probes a second from now on: 11 of 34 probes dropped");
        run.Stderr.ShouldContain("worker 1: 127.0.0.1: no limit of its own from now on: no drops in the last 200 probes");
        quiet.ExitCode.ShouldBe(0, quiet.ToString());
        quiet.Stderr.ShouldNotContain("from now on");
    }

    [TestCase("timing", """{\"type\":\"timing\",\"target\":\"127.0.0.2\",\"srttMs\":1,\"rttVarMs\":1,\"timeoutMs\":100,\"rttSamples\":1,\"probes\":1,\"retries\":0,\"drops\":0,\"tries\":1}""")]
    [TestCase("rate", """{\"type\":\"rate\",\"target\":\"127.0.0.2\",\"rate\":10,\"reason\":\"drops\"}""")]
    public async Task A_worker_that_names_a_host_outside_the_scan_is_distrusted(string type, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.Scripted($"hello\necho \"{message}\""));

        exit.ShouldBe(1, $"a {type} message for 127.0.0.2; stderr: {stderr}");
        stderr.ShouldContain("left 1 port unscanned (127.0.0.1 1): it reported on '127.0.0.2', which is not a host of this scan");
    }

    [TestCase("concurrency=1", true)]
    [TestCase("timeout=$((timeout + 1))", false)]
    [TestCase("minrtt=1", false)]
    [TestCase("retries=0", false)]
    [TestCase("rate=5", false)]
    [TestCase("concurrency=$((concurrency + 1))", false)]
    public async Task A_worker_may_say_it_uses_fewer_probes_in_flight_but_must_use_every_other_setting_as_given(string change, bool trusted)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-w", "1", "-c", "100", "--max-worker-restarts", "0",
            "--worker-path", WorkerDoubles.Scripted($"{change}\nhello"));

        if (trusted)
        {
            exit.ShouldBe(0, $"stderr: {stderr}");
        }
        else
        {
            exit.ShouldBe(1, $"stderr: {stderr}");
            stderr.ShouldContain("not with what it was given");
        }
    }
}
