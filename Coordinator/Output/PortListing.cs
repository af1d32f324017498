using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Which of a host's ports nmap-style reports (text, XML, grepable) list one by one, and which
/// they fold into a count, as nmap does: the more common of closed and filtered is folded ("Not
/// shown: 65532 closed ports"), every other port is listed. Unscanned ports are always folded
/// (stderr names them). <c>--show-closed</c> lists closed and filtered ports too.
/// </summary>
public sealed class PortListing
{
    private PortListing(IReadOnlyList<(int Port, PortState State, double? RttMs)> listed, IReadOnlyList<(PortState State, int Count)> folded)
    {
        Listed = listed;
        Folded = folded;
    }

    public IReadOnlyList<(int Port, PortState State, double? RttMs)> Listed { get; }

    /// <summary>Folded states and their counts, most common first; empty when every port is listed.</summary>
    public IReadOnlyList<(PortState State, int Count)> Folded { get; }

    public static PortListing Of(HostResult host, bool showClosed)
    {
        var s = host.Summary;
        var folded = new List<(PortState, int)>();
        if (!showClosed && s.Closed + s.Filtered > 0)
        {
            folded.Add(s.Closed >= s.Filtered ? (PortState.Closed, s.Closed) : (PortState.Filtered, s.Filtered));
        }
        if (s.Unscanned > 0)
        {
            folded.Add((PortState.Unscanned, s.Unscanned));
        }
        var listed = host.Ports(includeNotOpen: true).Where(p => !folded.Exists(f => f.Item1 == p.State)).ToList();
        return new PortListing(listed, folded);
    }

    /// <summary>"10 closed ports, 3 unscanned ports", for "Not shown:" lines.</summary>
    public string DescribeFolded() => string.Join(", ", Folded.Select(f => $"{f.Count} {f.State.ToWireName()} {(f.Count == 1 ? "port" : "ports")}"));
}
