using PortScan.Coordinator.Output;
using PortScan.Shared.Protocol;

namespace PortScan.Tests;

/// <summary>A sweep's report is written as it is made, never held whole in memory (docs/benchmarks.md, "Memory against host-ports").</summary>
public class ReportStreamingTests
{
    /// <summary>Records the largest piece of text it was handed at once.</summary>
    private sealed class PieceRecorder : StringWriter
    {
        public int Largest { get; private set; }

        public override void Write(char[] buffer, int index, int count)
        {
            Largest = Math.Max(Largest, count);
            base.Write(buffer, index, count);
        }

        public override void Write(string? value)
        {
            Largest = Math.Max(Largest, value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Largest = Math.Max(Largest, buffer.Length);
            base.Write(buffer);
        }
    }

    [Test]
    public void A_json_report_of_twenty_thousand_hosts_reaches_its_writer_in_pieces_and_reads_back_whole()
    {
        var hosts = Enumerable.Range(0, 20_000).Select(i => new JsonHost(
            $"127.0.{i / 256}.{i % 256}", $"127.0.{i / 256}.{i % 256}", new JsonCounts(0, 100, 0, 0, 0),
            new JsonNetwork(0.05, 0.02, 100, 100, 100, 0, 0, 1), [], Status: new JsonStatus("up", "conn-refused"))).ToList();
        var report = new JsonReport("portscan", "0.1.0", DateTimeOffset.UnixEpoch, true, 1.5, 2, "block",
            new ProbeSettings(1000, 100, 1000, 0, 8), 2, hosts, []);
        var writer = new PieceRecorder();

        report.Write(writer);

        var text = writer.ToString();
        text.Length.ShouldBeGreaterThan(5_000_000, "about 300 characters a host");
        writer.Largest.ShouldBeLessThan(100_000, "the document comes a buffer at a time, not as one string");
        text.ShouldEndWith("}" + Environment.NewLine);
        var read = JsonReport.Parse(text);
        read.Hosts.Count.ShouldBe(20_000);
        read.Hosts[^1].Address.ShouldBe("127.0.78.31");
        read.Hosts[^1].Network.ShouldNotBeNull().SrttMs.ShouldBe(0.05);
    }
}
