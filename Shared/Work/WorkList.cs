using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    /// The most host-ports one scan takes. Positions are <c>int</c>s, so the limit is below 2³¹; the
    /// coordinator keeps about 1.1 bytes a host-port (a byte of state, and a bit a worker attempt of
    /// which it was given), 2.3 GB at the limit, and a worker nothing a port (docs/benchmarks.md,
    /// "Memory against host-ports"). Room for a /12 at nmap's top 1,000 ports, or 30,000 hosts at every port.
    /// </summary>
    public const int MaxCount = 2_000_000_000;

    /// <summary>
    /// The most hosts one scan takes: a /12. The coordinator keeps about 450 bytes a host and the
    /// workers together about 1 KB (docs/benchmarks.md), a few GB at the limit.
    /// </summary>
    public const int MaxHosts = 1 << 20;

    // Runs of consecutive addresses in scan order, sorted by address for a host's index by binary
    // search: a sweep is one run, where a dictionary of its addresses took about 40 bytes a host.
    private readonly HostRun[] _runs;

    private readonly record struct HostRun(AddressFamily Family, long ScopeId, UInt128 First, int Count, int Index) : IComparable<HostRun>
    {
        public int CompareTo(HostRun other) =>
            Family != other.Family ? Family.CompareTo(other.Family)
            : ScopeId != other.ScopeId ? ScopeId.CompareTo(other.ScopeId)
            : First.CompareTo(other.First);

        public static HostRun Of(IPAddress address, int index) =>
            new(address.AddressFamily, ScopeOf(address), AddressArithmetic.ToNumber(address), 1, index);

        private static long ScopeOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? address.ScopeId : 0;
    }

    /// <param name="hosts">Distinct addresses, in scan order.</param>
    public WorkList(IReadOnlyList<IPAddress> hosts, PortSelection ports)
    {
        if (hosts.Count == 0 || ports.IsEmpty)
        {
            throw new ArgumentException("a scan needs at least one host and one port");
        }
        if (hosts.Count > MaxHosts)
        {
            throw new ArgumentException($"{hosts.Count:N0} hosts are more than {MaxHosts:N0}");
        }
        if (TooMany(hosts.Count, ports.Count) is { } tooMany)
        {
            throw new ArgumentException(tooMany);
        }
        var runs = new List<HostRun>();
        for (var i = 0; i < hosts.Count; i++)
        {
            if (i > 0 && AddressArithmetic.Follows(hosts[i - 1], hosts[i]))
            {
                runs[^1] = runs[^1] with { Count = runs[^1].Count + 1 };
            }
            else
            {
                runs.Add(HostRun.Of(hosts[i], i));
            }
        }
        runs.Sort();
        for (var i = 1; i < runs.Count; i++)
        {
            var (before, run) = (runs[i - 1], runs[i]);
            if (before.Family == run.Family && before.ScopeId == run.ScopeId && run.First - before.First < (UInt128)before.Count)
            {
                throw new ArgumentException($"host {AddressArithmetic.FromNumber(run.First, hosts[run.Index])} is listed twice", nameof(hosts));
            }
        }
        _runs = [.. runs];
        Hosts = hosts;
        Ports = ports;
        Count = hosts.Count * ports.Count;
    }

    /// <summary>Why <paramref name="hosts"/> × <paramref name="ports"/> is more than a scan holds, in words for the user; null when it is not.</summary>
    public static string? TooMany(int hosts, int ports) =>
        (long)hosts * ports > MaxCount
            ? string.Create(CultureInfo.InvariantCulture, $"{hosts:N0} hosts × {ports:N0} ports is more than the {MaxCount:N0} host-ports one scan holds; split the scan")
            : null;

    public IReadOnlyList<IPAddress> Hosts { get; }

    public PortSelection Ports { get; }

    public int Count { get; }

    /// <summary>The host's index, or -1 when it is not part of the scan.</summary>
    public int HostIndex(IPAddress host)
    {
        var key = HostRun.Of(host, 0);
        // The last run that starts at or before the host.
        int low = 0, high = _runs.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (_runs[middle].CompareTo(key) <= 0)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        if (found < 0)
        {
            return -1;
        }
        var run = _runs[found];
        return run.Family == key.Family && run.ScopeId == key.ScopeId && key.First - run.First < (UInt128)run.Count
            ? run.Index + (int)(key.First - run.First)
            : -1;
    }

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
