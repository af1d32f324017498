using System.Net;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;
using PortScan.Worker.Timing;

namespace PortScan.Worker.Discovery;

/// <summary>
/// A discovery worker (<c>--discover</c>): ICMP echo to each host first, then its ports (the -PS
/// probes) scanned by the connect engine as any slice's, passing through here on their way to the
/// writer. A host is up when anything answered: an echo reply, or a connect accepted or refused.
/// At the end, one <see cref="HostMessage"/> a host.
/// </summary>
internal sealed class DiscoveryProbes(IPortResultSink inner) : IPortResultSink
{
    private readonly Dictionary<IPAddress, (PortReason Reason, double RttMs)> _answers = [];
    private Task<Dictionary<IPAddress, double>> _echoes = Task.FromResult(new Dictionary<IPAddress, double>());

    /// <summary>
    /// Starts the echo requests; says on stderr when ICMP is not to be had, and discovery goes on with
    /// TCP alone. Under --max-rate they go first, through the scan's pacer, which one thread at a
    /// time may use; without a rate they go beside the connects, as nmap sends its probes together,
    /// which saves discovery a whole round of timeouts on silent hosts.
    /// </summary>
    public void StartPings(WorkSet work, HostTimings timings, AttemptPacer pacer, int workerId, CancellationToken cancellationToken)
    {
        var hosts = work.Segments.SelectMany(s => s.Hosts).Distinct().ToList();
        // Each host's timing is made here, before the connect engine may use it from its own thread.
        List<HostTiming> timed = [.. hosts.Select(timings.For)];
        var echo = IcmpEcho.Open(hosts);
        if (echo.Problem is { } problem)
        {
            Console.Error.WriteLine($"portscan-worker {workerId}: {problem}: host discovery goes on with TCP alone");
        }
        Dictionary<IPAddress, double> Ping()
        {
            using (echo)
            {
                return echo.Ping(timed, pacer.IsLimited ? pacer : AttemptPacer.Unlimited, countProbes: pacer.IsLimited, cancellationToken);
            }
        }
        _echoes = pacer.IsLimited ? Task.FromResult(Ping()) : Task.Run(Ping, CancellationToken.None);
    }

    public void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null, PortReason? reason = null)
    {
        // The first answer names the reason, as nmap's does; the quickest gives the latency.
        if (state is PortState.Open or PortState.Closed)
        {
            _answers[target.Address] = _answers.TryGetValue(target.Address, out var first)
                ? (first.Reason, Math.Min(first.RttMs, rttMs))
                : (PortReasons.Usual(transport, state), rttMs);
        }
        inner.Report(target, transport, port, state, rttMs, banner, reason);
    }

    public void Tell(WorkerMessage message) => inner.Tell(message);

    public void Flush() => inner.Flush();

    /// <summary>Each host's finding, after its ports and the last echo request's wait.</summary>
    public async Task SendHostsAsync(WorkSet work)
    {
        foreach (var (host, rtt) in await _echoes.ConfigureAwait(false))
        {
            _answers[host] = (PortReason.EchoReply, _answers.TryGetValue(host, out var tcp) ? Math.Min(tcp.RttMs, rtt) : rtt);
        }
        inner.Flush();
        foreach (var host in work.Segments.SelectMany(s => s.Hosts).Distinct())
        {
            inner.Tell(_answers.TryGetValue(host, out var answer)
                ? new HostMessage(host.ToString(), true, answer.Reason.ToWireName(), Math.Round(answer.RttMs, 3))
                : new HostMessage(host.ToString(), false, PortReason.NoResponse.ToWireName()));
        }
    }
}
