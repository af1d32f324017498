using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Host discovery, as nmap's before a scan of several hosts: a scan of its own, run by the same
/// <see cref="ScanCoordinator"/> with the same slicing, launchers and timing, whose ports are the
/// TCP probes' (-PS, 80 and 443 by default) and whose workers also send each host an ICMP echo
/// request (<c>--discover</c>) and end with one <see cref="HostMessage"/> a host. A host is up when
/// anything answered it: an echo reply, or a connect accepted or refused.
/// </summary>
public sealed class HostDiscovery(IWorkerLauncher launcher, ILogger logger)
{
    /// <summary>nmap's TCP probes when it cannot send raw packets: a connect to 80 and one to 443.</summary>
    public static readonly PortSet DefaultPorts = PortSet.Of([new PortRange(80, 80), new PortRange(443, 443)]);

    public async Task<DiscoveryResult> RunAsync(ScanRequest scan, PortSet ports, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var probes = PortSelection.OfTcp(ports);
        // Always the article's block arithmetic over the hosts: a worker reports each of its hosts once, which a
        // dynamic chunk ending between a host's two probes would break.
        var request = new ScanRequest(scan.Targets, probes, (int)Math.Min(scan.Workers, (long)scan.Targets.Count * probes.Count),
            scan.Probes, scan.MaxWorkerRestarts, Schedule.Block, Discover: true);
        var found = new Findings(request.Work);
        var result = await new ScanCoordinator(launcher, logger).RunAsync(request, found, cancellationToken).ConfigureAwait(false);
        // A host whose worker failed before its host message still counts as up when one of its probes was answered.
        var hosts = result.Hosts.Select((host, i) => found.Hosts[i] ?? (host.Up ? new HostStatus(true, host.Reason, host.LatencyMs) : HostStatus.Down)).ToList();
        logger.LogInformation("host discovery: {Up} of {Hosts} hosts up in {Seconds:0.00} s", hosts.Count(h => h.Up), hosts.Count, stopwatch.Elapsed.TotalSeconds);
        return new DiscoveryResult(hosts, stopwatch.Elapsed, result.Interrupted, result.Complete);
    }

    /// <summary>A worker's <see cref="HostMessage"/>, checked like any result before it is believed.</summary>
    internal static void Apply(ScanRequest request, HostMessage message, int host, IScanObserver observer, Action<string> distrust)
    {
        if (host < 0)
        {
            return;
        }
        if (!request.Discover)
        {
            distrust($"it sent the status of host {message.Target}, but this is not a host discovery");
            return;
        }
        if (!PortReasons.TryParse(message.Reason, out var reason)
            || (message.Up ? reason is not (PortReason.EchoReply or PortReason.SynAck or PortReason.ConnRefused) || message.RttMs is not (>= 0 and < double.PositiveInfinity)
                : reason != PortReason.NoResponse || message.RttMs is not null))
        {
            distrust($"it sent host {message.Target} {(message.Up ? "up" : "down")} for reason '{message.Reason}' after {message.RttMs} ms, which discovery cannot find");
            return;
        }
        observer.HostFound(request.Targets[host], message.Up, reason, message.RttMs);
    }

    /// <summary>What the workers said of each host; an up from any worker stands.</summary>
    private sealed class Findings(WorkList work) : IScanObserver
    {
        public HostStatus?[] Hosts { get; } = new HostStatus?[work.Hosts.Count];

        public void HostFound(ResolvedTarget host, bool up, PortReason reason, double? rttMs)
        {
            var i = work.HostIndex(host.Address);
            if (Hosts[i] is not { Up: true })
            {
                Hosts[i] = up ? new HostStatus(true, reason, rttMs) : HostStatus.Down;
            }
        }
    }
}

/// <summary>A host as discovery found it: up and why (nmap's reason word) and how fast, or down.</summary>
public sealed record HostStatus(bool Up, PortReason Reason, double? RttMs)
{
    public static HostStatus Down { get; } = new(false, PortReason.NoResponse, null);
}

/// <summary>Host discovery's outcome: one <see cref="HostStatus"/> a target, in scan order.</summary>
public sealed record DiscoveryResult(IReadOnlyList<HostStatus> Hosts, TimeSpan Elapsed, bool Interrupted, bool Complete);
