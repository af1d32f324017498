using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>One host's part of a scan result: its ports (TCP, then UDP, each ascending) and their counts.</summary>
public sealed class HostResult
{
    private readonly ScanResult _result;
    private readonly int _index;

    internal HostResult(ScanResult result, ResolvedTarget target, int index)
    {
        _result = result;
        _index = index;
        Target = target;
        int open = 0, closed = 0, filtered = 0, openFiltered = 0, unscanned = 0;
        foreach (var port in Ports(includeNotOpen: true))
        {
            switch (port.State)
            {
                case PortState.Open:
                    open++;
                    break;
                case PortState.Closed:
                    closed++;
                    break;
                case PortState.Filtered:
                    filtered++;
                    break;
                case PortState.OpenFiltered:
                    openFiltered++;
                    break;
                default:
                    unscanned++;
                    break;
            }
        }
        Summary = new ScanSummary(open, closed, filtered, openFiltered, unscanned);
    }

    public ResolvedTarget Target { get; }

    public ScanSummary Summary { get; }

    /// <summary>
    /// Up, in nmap's sense, when any port answered (open or closed). A scan without a ping cannot
    /// tell a silent host from a firewalled one, so a host with only filtered or open|filtered ports is "down".
    /// </summary>
    public bool Up => Summary.Open + Summary.Closed > 0;

    /// <summary>The quickest answer seen, nmap's "latency"; null without an open port.</summary>
    public double? LatencyMs => Ports(includeNotOpen: false).Min(p => p.RttMs);

    /// <summary>Ports in order with their state; closed, filtered, open|filtered and unscanned ones only when asked.</summary>
    public IEnumerable<PortResult> Ports(bool includeNotOpen)
    {
        var work = _result.Request.Work;
        var position = work.PositionOf(_index, work.Ports.At(0).Transport, work.Ports.At(0).Port);
        var sliceIndex = _result.SliceAt(position);
        var slice = _result.Slices[sliceIndex];
        foreach (var (transport, port) in work.Ports.Ports())
        {
            // A host's ports may run across the end of one slice into the next.
            if (!slice.Holds(position))
            {
                slice = _result.Slices[++sliceIndex];
            }
            var state = slice.StateAt(position);
            if (includeNotOpen || state == PortState.Open)
            {
                yield return new PortResult(transport, port, state, slice.RttAt(position), slice.BannerAt(position));
            }
            position++;
        }
    }
}
