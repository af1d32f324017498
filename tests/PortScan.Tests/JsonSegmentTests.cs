using System.Net;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>The JSON report's work, as structured segments beside the wire syntax.</summary>
public class JsonSegmentTests
{
    private static PortSelection Ports(string text) =>
        PortSelection.TryParse(text, out var ports, out var error) ? ports : throw new FormatException(error);

    [Test]
    public void A_segment_has_its_hosts_and_ports_as_text_and_first_and_last_where_they_are_one_run()
    {
        var work = WorkSet.Of([
            (IPAddress.Parse("127.0.0.1"), Ports("1-333")),
            (IPAddress.Parse("127.0.0.2"), Ports("1-4")),
            (IPAddress.Parse("127.0.0.3"), Ports("1-4")),
            (IPAddress.IPv6Loopback, Ports("T:1-5,U:53")),
            (IPAddress.Parse("127.0.0.9"), Ports("U:1-3,7")),
            (IPAddress.Parse("127.0.0.10"), Ports("U:1-3,7")),
        ]);
        var gapped = new WorkSegment([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.5")], Ports("U:53"));

        var segments = JsonSegment.Of(work);

        work.ToString().ShouldBe("127.0.0.1 1-333; 127.0.0.2-127.0.0.3 1-4; ::1 T:1-5,U:53; 127.0.0.9-127.0.0.10 U:1-3,7");
        segments.ShouldBe([
            new JsonSegment("127.0.0.1", "127.0.0.1", "127.0.0.1", 1, "1-333", "tcp", 1, 333, 333),
            new JsonSegment("127.0.0.2-127.0.0.3", "127.0.0.2", "127.0.0.3", 2, "1-4", "tcp", 1, 4, 4),
            new JsonSegment("::1", "::1", "::1", 1, "T:1-5,U:53", null, null, null, 6),
            new JsonSegment("127.0.0.9-127.0.0.10", "127.0.0.9", "127.0.0.10", 2, "U:1-3,7", "udp", null, null, 4)]);
        string.Join("; ", segments.Select(s => $"{s.Hosts} {s.Ports}")).ShouldBe(work.ToString(), "the segments say what the string says");
        JsonSegment.Of(gapped).ShouldBe(new JsonSegment("127.0.0.1,127.0.0.5", null, null, 2, "U:53", "udp", 53, 53, 1));
    }

    [Test]
    public async Task Slices_attempts_and_unscanned_work_carry_segments_in_the_json_report()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1-3", "-w", "1", "--max-worker-restarts", "1",
            "--format", "json", "--worker-path", WorkerDoubles.Scripted("hello\nexit 3"));

        exit.ShouldBe(1, stderr);
        var slice = JsonReport.Parse(stdout).Slices.ShouldHaveSingleItem();
        var whole = new JsonSegment("127.0.0.1", "127.0.0.1", "127.0.0.1", 1, "1-3", "tcp", 1, 3, 3);
        slice.Work.ShouldBe("127.0.0.1 1-3");
        slice.Segments.ShouldBe([whole]);
        slice.Attempts.Select(a => a.Segments.Single()).ShouldBe([whole, whole]);
        slice.UnscannedWork.ShouldBe("127.0.0.1 1-3");
        slice.UnscannedSegments.ShouldNotBeNull().ShouldBe([whole]);
        stdout.ShouldContain("\"firstPort\": 1");
    }
}
