using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Which of a host's ports nmap-style reports (text, XML, grepable) list one by one, and which
/// they fold into a count, as nmap does: for each transport the most common of closed, filtered
/// and open|filtered is folded ("Not shown: 65532 closed ports"), every other port is listed.
/// Unscanned ports are always folded (stderr names them). <c>--show-closed</c> lists every
/// scanned port.
/// </summary>
public sealed class PortListing
{
    private readonly bool _nameTransports;

    private PortListing(IReadOnlyList<PortResult> listed, IReadOnlyList<(PortState State, Transport Transport, int Count)> folded, bool nameTransports)
    {
        Listed = listed;
        Folded = folded;
        _nameTransports = nameTransports;
    }

    public IReadOnlyList<PortResult> Listed { get; }

    /// <summary>Folded states by transport and their counts; empty when every port is listed.</summary>
    public IReadOnlyList<(PortState State, Transport Transport, int Count)> Folded { get; }

    public static PortListing Of(HostResult host, bool showClosed)
    {
        var folded = new List<(PortState State, Transport Transport, int Count)>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            var s = host.SummaryOf(transport);
            if (!showClosed)
            {
                // Ties go to the state listed first: closed, then filtered, then open|filtered.
                var (common, count) = (PortState.Closed, s.Closed);
                if (s.Filtered > count)
                {
                    (common, count) = (PortState.Filtered, s.Filtered);
                }
                if (s.OpenFiltered > count)
                {
                    (common, count) = (PortState.OpenFiltered, s.OpenFiltered);
                }
                if (count > 0)
                {
                    folded.Add((common, transport, count));
                }
            }
            if (s.Unscanned > 0)
            {
                folded.Add((PortState.Unscanned, transport, s.Unscanned));
            }
        }
        // A set of (transport, state) pairs: the listing walks every port of the host once.
        var hidden = new bool[2, (int)PortState.OpenFiltered + 1];
        foreach (var (state, transport, _) in folded)
        {
            hidden[(int)transport, (int)state] = true;
        }
        var listed = host.Ports(includeNotOpen: true).Where(p => !hidden[(int)p.Transport, (int)p.State]).ToList();
        return new PortListing(listed, folded, nameTransports: host.SummaryOf(Transport.Udp).Total > 0);
    }

    /// <summary>"10 closed ports, 3 unscanned ports" ("10 closed tcp ports, 5 open|filtered udp ports" once UDP is scanned), for "Not shown:" lines.</summary>
    public string DescribeFolded() => string.Join(", ", Folded.Select(f =>
        $"{f.Count} {f.State.ToWireName()} {(_nameTransports ? f.Transport.ToWireName() + " " : "")}{(f.Count == 1 ? "port" : "ports")}"));
}
