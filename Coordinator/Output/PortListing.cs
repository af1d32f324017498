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
        var ports = host.Ports(includeNotOpen: true).ToList();
        var folded = new List<(PortState State, Transport Transport, int Count)>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            var counts = ports.Where(p => p.Transport == transport).CountBy(p => p.State).ToDictionary();
            if (!showClosed)
            {
                // Ties go to the state listed first: closed, then filtered, then open|filtered.
                var common = new[] { PortState.Closed, PortState.Filtered, PortState.OpenFiltered }
                    .Where(counts.ContainsKey)
                    .OrderByDescending(s => counts[s])
                    .Take(1);
                folded.AddRange(common.Select(s => (s, transport, counts[s])));
            }
            if (counts.TryGetValue(PortState.Unscanned, out var unscanned))
            {
                folded.Add((PortState.Unscanned, transport, unscanned));
            }
        }
        var listed = ports.Where(p => !folded.Exists(f => f.State == p.State && f.Transport == p.Transport)).ToList();
        return new PortListing(listed, folded, nameTransports: ports.Exists(p => p.Transport == Transport.Udp));
    }

    /// <summary>"10 closed ports, 3 unscanned ports" ("10 closed tcp ports, 5 open|filtered udp ports" once UDP is scanned), for "Not shown:" lines.</summary>
    public string DescribeFolded() => string.Join(", ", Folded.Select(f =>
        $"{f.Count} {f.State.ToWireName()} {(_nameTransports ? f.Transport.ToWireName() + " " : "")}{(f.Count == 1 ? "port" : "ports")}"));
}
