using System.Net;
using PortScan.Shared.Protocol;
using PortScan.Worker;
using PortScan.Worker.Timing;

namespace PortScan.Tests;

/// <summary>
/// How many tries a host's silent ports get in the end (<see cref="HostTiming.FinalTries"/>): enough
/// that, at the loss the answered ports showed, fewer than 0.001 answering ports stay hidden among
/// the silent ones. A dynamic worker decides a chunk at a time, before the host's other answering
/// ports are known, so it allows for a whole range of them.
/// </summary>
public class FinalTriesTests
{
    private static readonly ProbeSettings Adaptive = new(10_000, 100, 1_000, 10, 100);

    /// <summary>A host of which 4,000 ports answered here, the other workers having lost 100 tries to 900 answers.</summary>
    private static HostTiming Host(bool chunked)
    {
        var host = new HostTiming(new ScanTarget(IPAddress.Loopback), Adaptive, chunked);
        for (var port = 1; port <= 4_000; port++)
        {
            host.Answered(port, closed: true, port: null, rttTicks: 0);
        }
        host.Seed(new TimingMessage("127.0.0.1", 1, 0.5, 100, 900, 1_000, 100, 100, 2));
        return host;
    }

    [Test]
    public void A_slice_allows_for_the_ports_that_answered_and_a_chunk_for_every_port_a_host_can_have()
    {
        var slice = Host(chunked: false).FinalTries(silentPorts: 50);
        var chunk = Host(chunked: true).FinalTries(silentPorts: 50);

        // p = 100 lost / (100 + 4,000 + 900 answered) = 0.02: 4,001 · 0.02^k < 0.001 needs k = 4; 65,536 · 0.02^k needs 5.
        slice.ShouldBe(4);
        chunk.ShouldBe(5);
        (65_536 * Math.Pow(0.02, chunk)).ShouldBeLessThan(0.001);
        (65_536 * Math.Pow(0.02, slice)).ShouldBeGreaterThan(0.001, "the slice's tries would not do for a whole range");
    }

    [Test]
    public void Without_loss_a_chunk_gets_no_more_tries_than_a_slice()
    {
        var settings = Adaptive;
        var slice = new HostTiming(new ScanTarget(IPAddress.Loopback), settings);
        var chunk = new HostTiming(new ScanTarget(IPAddress.Loopback), settings, chunked: true);

        chunk.FinalTries(silentPorts: 50).ShouldBe(slice.FinalTries(silentPorts: 50), "a clean network costs nothing more");
    }
}
