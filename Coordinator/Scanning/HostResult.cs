using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>One host's part of a scan result: its ports (TCP, then UDP, each ascending), their counts, and what the network did.</summary>
public sealed class HostResult
{
    private readonly ScanResult _result;
    private readonly int _index;

    /// <summary>Host discovery's finding; null when the host was scanned without it.</summary>
    private HostStatus? _status;

    internal HostResult(ScanResult result, ResolvedTarget target, int index, bool timedOut)
    {
        _result = result;
        _index = index;
        Target = target;
        TimedOut = timedOut;
        // One pass over the host's ports (65,535 a transport in a full scan), counting each transport apart.
        var counts = new int[2, (int)PortState.OpenFiltered + 1];
        foreach (var port in Ports(includeNotOpen: true))
        {
            counts[(int)port.Transport, (int)port.State]++;
        }
        ScanSummary Of(int t) => new(counts[t, (int)PortState.Open], counts[t, (int)PortState.Closed],
            counts[t, (int)PortState.Filtered], counts[t, (int)PortState.OpenFiltered], counts[t, (int)PortState.Unscanned]);
        (_tcp, _udp) = (Of((int)Transport.Tcp), Of((int)Transport.Udp));
    }

    // Each transport's counts, in the object itself: a sweep holds one of these a host.
    private readonly ScanSummary _tcp;
    private readonly ScanSummary _udp;

    private HostResult(ScanResult result, ResolvedTarget target, HostStatus status)
    {
        _result = result;
        _index = -1;
        _status = status;
        Target = target;
        var ports = result.Request.Ports;
        ScanSummary Of(Transport t) => new(0, 0, 0, 0, result.PingSweep ? 0 : ports[t].Count);
        (_tcp, _udp) = (Of(Transport.Tcp), Of(Transport.Udp));
    }

    /// <summary>
    /// A host whose ports were not scanned: discovery found it down, and each is unscanned for that
    /// reason (host-down); or the scan is a ping sweep (-sn), which has no ports.
    /// </summary>
    internal static HostResult Unscanned(ScanResult result, ResolvedTarget target, HostStatus status) => new(result, target, status);

    /// <summary>This host, scanned after discovery found it up: discovery's answer says why it is up.</summary>
    internal HostResult Discovered(HostStatus status)
    {
        _status = status;
        return this;
    }

    /// <summary>Host discovery found the host down, and none of its ports was scanned.</summary>
    public bool SkippedAsDown => _index < 0 && !_result.PingSweep;

    /// <summary>False for a host whose ports no worker scanned: found down, or a ping sweep's.</summary>
    public bool PortsScanned => _index >= 0;

    public ResolvedTarget Target { get; }

    public ScanSummary Summary => _tcp + _udp;

    /// <summary>--host-timeout gave this host up: its unscanned ports are so for that reason (<see cref="SliceTracker.HostTimeoutReason"/>).</summary>
    public bool TimedOut { get; }

    /// <summary>-sV was asked for: the reports show what version detection found.</summary>
    public bool VersionScanned => _result.Request.Version is not null;

    /// <summary>Round-trip times and probe counts for this host; null when no worker sent any. Pooled when asked, not kept.</summary>
    public HostNetwork? Network => PortsScanned ? _result.NetworkOf(_index) : null;

    /// <summary>The counts of one transport's ports.</summary>
    public ScanSummary SummaryOf(Transport transport) => transport == Transport.Tcp ? _tcp : _udp;

    /// <summary>
    /// Up, in nmap's sense, when any port answered (open or closed). A scan without a ping cannot
    /// tell a silent host from a firewalled one, so a host with only filtered or open|filtered ports is "down".
    /// </summary>
    public bool Up => _status?.Up ?? Summary.Open + Summary.Closed > 0;

    /// <summary>
    /// What made the host count as up, nmap's host reason for a scan without a ping: an open TCP port's
    /// syn-ack before a UDP reply, before a closed TCP port's refusal, before a port-unreachable; no-response for a host that is down.
    /// </summary>
    public PortReason Reason
    {
        get
        {
            if (_status is { } status)
            {
                return status.Reason;
            }
            var (tcp, udp) = (SummaryOf(Transport.Tcp), SummaryOf(Transport.Udp));
            return tcp.Open > 0 ? PortReason.SynAck
                : udp.Open > 0 ? PortReason.UdpResponse
                : tcp.Closed > 0 ? PortReason.ConnRefused
                : udp.Closed > 0 ? PortReason.PortUnreach
                : PortReason.NoResponse;
        }
    }

    /// <summary>The quickest answer seen, nmap's "latency"; null without an open port.</summary>
    public double? LatencyMs => Ports(includeNotOpen: false).Min(p => p.RttMs) ?? _status?.RttMs;

    /// <summary>Ports in order with their state; closed, filtered, open|filtered and unscanned ones only when asked.</summary>
    public IEnumerable<PortResult> Ports(bool includeNotOpen)
    {
        if (!PortsScanned)
        {
            foreach (var (transport, port) in includeNotOpen && SkippedAsDown ? _result.Request.Ports.Ports() : [])
            {
                yield return new PortResult(transport, port, PortState.Unscanned, reason: PortReason.HostDown);
            }
            yield break;
        }
        var work = _result.Request.Work;
        var position = work.PositionOf(_index, work.Ports.At(0).Transport, work.Ports.At(0).Port);
        var slice = _result.Slices[_result.SliceAt(position)];
        foreach (var transport in work.Ports.Transports)
        {
            foreach (var port in work.Ports[transport].Ports())
            {
                // A host's ports may run across the end of one slice into the next (block), or
                // belong to a different slice each (cyclic).
                if (!slice.Holds(position))
                {
                    slice = _result.Slices[_result.SliceAt(position)];
                }
                var state = slice.StateAt(position);
                if (includeNotOpen || state == PortState.Open)
                {
                    yield return state == PortState.Open
                        ? new PortResult(transport, port, state, slice.RttAt(position), slice.BannerAt(position), service: slice.ServiceAt(position))
                        : new PortResult(transport, port, state,
                            reason: state == PortState.Unscanned && TimedOut ? PortReason.HostTimeout : slice.ReasonAt(position));
                }
                position++;
            }
        }
    }
}
