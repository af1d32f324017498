using System.Net;
using PortScan.Shared.Ports;

namespace PortScan.Shared.Work;

/// <summary>
/// All the work of a scan, hosts × ports, laid out host-major: position <c>h × P + i</c> is the
/// i-th port of the selection (TCP ports, then UDP ports) on host h. The slice arithmetic runs over these positions, so a slice is a
/// contiguous run of host-ports, and one host's ports are split between workers exactly as a
/// single-host scan splits them.
/// </summary>
public sealed class WorkList
{
    /// <summary>
    /// The coordinator keeps a byte of state a host-port; this bounds that memory (100 MB) and is
    /// room for a /16 at nmap's top 1,000 ports or a /24 at every port.
    /// </summary>
    public const int MaxCount = 100_000_000;

    private readonly Dictionary<IPAddress, int> _index = [];

    /// <param name="hosts">Distinct addresses, in scan order.</param>
    public WorkList(IReadOnlyList<IPAddress> hosts, PortSelection ports)
    {
        if (hosts.Count == 0 || ports.IsEmpty)
        {
            throw new ArgumentException("a scan needs at least one host and one port");
        }
        if ((long)hosts.Count * ports.Count > MaxCount)
        {
            throw new ArgumentException($"{hosts.Count} hosts × {ports.Count} ports is more than {MaxCount:N0} host-ports");
        }
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!_index.TryAdd(hosts[i], i))
            {
                throw new ArgumentException($"host {hosts[i]} is listed twice", nameof(hosts));
            }
        }
        Hosts = hosts;
        Ports = ports;
        Count = hosts.Count * ports.Count;
    }

    public IReadOnlyList<IPAddress> Hosts { get; }

    public PortSelection Ports { get; }

    public int Count { get; }

    /// <summary>The host's index, or -1 when it is not part of the scan.</summary>
    public int HostIndex(IPAddress host) => _index.GetValueOrDefault(host, -1);

    /// <summary>The position of a host-port, or -1 when the port is not part of the scan.</summary>
    public int PositionOf(int host, Transport transport, int port)
    {
        var index = Ports.IndexOf(transport, port);
        return index < 0 ? -1 : (host * Ports.Count) + index;
    }

    /// <summary>The work at positions <c>start .. start + count - 1</c>: at most three segments.</summary>
    public WorkSet Take(int start, int count)
    {
        var perHost = Ports.Count;
        var parts = new List<(IPAddress, PortSelection)>();
        var position = start;
        var end = start + count;
        while (position < end)
        {
            var host = position / perHost;
            var skip = position % perHost;
            var take = Math.Min(perHost - skip, end - position);
            parts.Add((Hosts[host], skip == 0 && take == perHost ? Ports : Ports.Take(skip, take)));
            position += take;
        }
        return WorkSet.Of(parts);
    }

    /// <summary>The work at the given positions (ascending), grouped host by host.</summary>
    public WorkSet Select(IEnumerable<int> positions)
    {
        var perHost = Ports.Count;
        var parts = new List<(IPAddress, PortSelection)>();
        var host = -1;
        var ports = new List<(Transport, int)>();
        foreach (var position in positions)
        {
            if (position / perHost != host)
            {
                if (host >= 0)
                {
                    parts.Add((Hosts[host], PortSelection.Of(ports)));
                }
                host = position / perHost;
                ports = [];
            }
            ports.Add(Ports.At(position % perHost)); // PortSelection.Of merges neighbours back into ranges
        }
        if (host >= 0)
        {
            parts.Add((Hosts[host], PortSelection.Of(ports)));
        }
        return WorkSet.Of(parts);
    }
}
