using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Which of a host's ports nmap-style reports (text, XML, grepable) list one by one, and which
/// they fold into a count, as nmap does: for each transport the most common of closed, filtered
/// and open|filtered is folded ("Not shown: 65532 closed tcp ports (conn-refused)"), every other
/// port is listed. Unscanned ports are always folded (stderr names them). <c>--show-closed</c>
/// lists every scanned port; <c>--open</c> folds closed and filtered ports too, as nmap's does.
/// </summary>
public sealed class PortListing
{
    private PortListing(IReadOnlyList<PortResult> listed, IReadOnlyList<FoldedPorts> folded)
    {
        Listed = listed;
        Folded = folded;
    }

    public IReadOnlyList<PortResult> Listed { get; }

    /// <summary>Folded states by transport, the most ports first (unscanned ones last); empty when every port is listed.</summary>
    public IReadOnlyList<FoldedPorts> Folded { get; }

    public static PortListing Of(HostResult host, ShownPorts shown)
    {
        var folds = new List<(PortState State, Transport Transport, int Count)>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            var s = host.SummaryOf(transport);
            var states = new List<(PortState State, int Count)>();
            if (shown != ShownPorts.All)
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
                states.Add((common, count));
                if (shown == ShownPorts.Open)
                {
                    // nmap's --open hides every state that cannot be open, however few its ports.
                    states.AddRange(new[] { (PortState.Closed, s.Closed), (PortState.Filtered, s.Filtered) }.Where(f => f.Item1 != common));
                }
            }
            states.Add((PortState.Unscanned, s.Unscanned));
            folds.AddRange(states.Where(f => f.Count > 0).OrderBy(f => f.State == PortState.Unscanned).ThenByDescending(f => f.Count)
                .Select(f => (f.State, transport, f.Count)));
        }

        // One walk over every port of the host: each goes to the listing or to the reasons of its fold.
        var reasons = new Dictionary<PortReason, List<PortRange>>?[2, (int)PortState.OpenFiltered + 1];
        foreach (var (state, transport, _) in folds)
        {
            reasons[(int)transport, (int)state] = [];
        }
        var listed = new List<PortResult>();
        foreach (var port in host.Ports(includeNotOpen: true))
        {
            if (reasons[(int)port.Transport, (int)port.State] is not { } fold)
            {
                listed.Add(port);
                continue;
            }
            if (!fold.TryGetValue(port.Reason, out var ranges))
            {
                fold[port.Reason] = ranges = [];
            }
            // Ports come in ascending order: a run grows its last range.
            if (ranges.Count > 0 && ranges[^1].End == port.Port - 1)
            {
                ranges[^1] = new PortRange(ranges[^1].Start, port.Port);
            }
            else
            {
                ranges.Add(new PortRange(port.Port, port.Port));
            }
        }
        var folded = folds.Select(f => new FoldedPorts(f.State, f.Transport, f.Count,
            [.. reasons[(int)f.Transport, (int)f.State]!.Select(r => (r.Key, PortSet.Of(r.Value))).OrderByDescending(r => r.Item2.Count).ThenBy(r => r.Key)])).ToList();
        return new PortListing(listed, folded);
    }

    /// <summary>
    /// nmap's "Not shown" list: <c>65530 closed tcp ports (conn-refused), 2 filtered tcp ports
    /// (no-response), 1 filtered tcp port (host-unreach)</c>, a part a state, transport and reason.
    /// </summary>
    public string DescribeFolded() => string.Join(", ", Folded.SelectMany(f => f.Reasons.Select(r =>
        $"{r.Ports.Count} {f.State.ToWireName()} {f.Transport.ToWireName()} {(r.Ports.Count == 1 ? "port" : "ports")} ({r.Reason.ToWireName()})")));
}

/// <summary>Ports of one state and transport counted instead of listed, and which of them had which reason (nmap's <c>extrareasons</c>).</summary>
public sealed record FoldedPorts(PortState State, Transport Transport, int Count, IReadOnlyList<(PortReason Reason, PortSet Ports)> Reasons);
