using System.Net;
using PortScan.Shared.Ports;

namespace PortScan.Shared.Work;

/// <summary>
/// What one worker is asked to scan: host-and-port segments in scan order. A first worker's slice
/// of hosts × ports is at most three segments (the tail of one host's ports, whole hosts, the head
/// of another's); a replacement gets whatever its slice still lacks, host by host.
/// </summary>
public sealed class WorkSet : IEquatable<WorkSet>
{
    public WorkSet(IReadOnlyList<WorkSegment> segments)
    {
        Segments = segments;
        Count = segments.Sum(s => s.Count);
    }

    public IReadOnlyList<WorkSegment> Segments { get; }

    public long Count { get; }

    /// <summary>Builds segments from per-host port sets, joining neighbouring hosts that have the same ports.</summary>
    public static WorkSet Of(IEnumerable<(IPAddress Host, PortSelection Ports)> hosts)
    {
        var segments = new List<WorkSegment>();
        List<IPAddress>? run = null;
        PortSelection? runPorts = null;
        foreach (var (host, ports) in hosts)
        {
            if (ports.IsEmpty)
            {
                continue;
            }
            if (run is null || !ports.Equals(runPorts))
            {
                if (run is not null)
                {
                    segments.Add(new WorkSegment(run, runPorts!));
                }
                run = [];
                runPorts = ports;
            }
            run.Add(host);
        }
        if (run is not null)
        {
            segments.Add(new WorkSegment(run, runPorts!));
        }
        return new WorkSet(segments);
    }

    /// <summary>
    /// Reads <see cref="ToString"/>'s form back (a dynamic worker's next chunk comes this way): segments
    /// separated by "; ", each a host list, a space and a port set. The empty text is the empty set.
    /// </summary>
    public static bool TryParse(string text, out WorkSet work, out string error)
    {
        var segments = new List<WorkSegment>();
        work = new WorkSet(segments);
        error = "";
        if (text.Length == 0)
        {
            return true;
        }
        foreach (var part in text.Split("; "))
        {
            var space = part.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                error = $"'{part}' is not a host list and a port set";
                return false;
            }
            if (!HostList.TryParse(part[..space], WorkList.MaxHosts, out var hosts, out error))
            {
                return false;
            }
            if (!PortSelection.TryParse(part[(space + 1)..], out var ports, out error))
            {
                return false;
            }
            segments.Add(new WorkSegment(hosts, ports));
        }
        work = new WorkSet(segments);
        return true;
    }

    /// <summary>Every host and port, in scan order.</summary>
    public IEnumerable<(IPAddress Host, Transport Transport, int Port)> Items()
    {
        foreach (var segment in Segments)
        {
            foreach (var host in segment.Hosts)
            {
                foreach (var (transport, port) in segment.Ports.Ports())
                {
                    yield return (host, transport, port);
                }
            }
        }
    }

    /// <summary>Segments separated by "; ", each <see cref="WorkSegment.ToString"/>.</summary>
    public override string ToString() => string.Join("; ", Segments);

    public bool Equals(WorkSet? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as WorkSet);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
