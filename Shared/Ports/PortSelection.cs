namespace PortScan.Shared.Ports;

/// <summary>
/// The ports a scan (or a slice of one) covers: TCP ports, then UDP ports. Positions run over the
/// TCP ports first, as nmap lists them, so the slice arithmetic cuts a mixed list like any other.
/// Written as a plain <see cref="PortSet"/> (<c>1-5,9</c>) when there is no UDP port, and with
/// nmap's prefixes otherwise: <c>T:22,80,U:53</c>.
/// </summary>
public sealed class PortSelection : IEquatable<PortSelection>
{
    public PortSelection(PortSet tcp, PortSet udp)
    {
        Tcp = tcp;
        Udp = udp;
    }

    public static PortSelection Empty { get; } = new(PortSet.Empty, PortSet.Empty);

    public static PortSelection OfTcp(PortSet ports) => new(ports, PortSet.Empty);

    public PortSet Tcp { get; }
    public PortSet Udp { get; }

    public PortSet this[Transport transport] => transport == Transport.Tcp ? Tcp : Udp;

    public int Count => Tcp.Count + Udp.Count;
    public bool IsEmpty => Count == 0;

    /// <summary>The transports with at least one port, TCP first.</summary>
    public IEnumerable<Transport> Transports => Enum.GetValues<Transport>().Where(t => !this[t].IsEmpty);

    /// <summary>The position of a port in the selection, or -1 when it is not in it.</summary>
    public int IndexOf(Transport transport, int port)
    {
        var index = this[transport].IndexOf(port);
        return index < 0 ? -1 : transport == Transport.Tcp ? index : Tcp.Count + index;
    }

    /// <summary>The port at <paramref name="index"/>: TCP ports come first.</summary>
    public (Transport Transport, int Port) At(int index) =>
        index < Tcp.Count ? (Transport.Tcp, Tcp.At(index)) : (Transport.Udp, Udp.At(index - Tcp.Count));

    /// <summary>The ports at positions <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="count"/> - 1.</summary>
    public PortSelection Take(int skip, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(skip + count, Count);
        var tcpSkip = Math.Min(skip, Tcp.Count);
        var tcpCount = Math.Min(count, Tcp.Count - tcpSkip);
        var udpSkip = Math.Max(0, skip - Tcp.Count);
        return new PortSelection(Tcp.Take(tcpSkip, tcpCount), Udp.Take(udpSkip, count - tcpCount));
    }

    /// <summary>Every port, TCP then UDP, each ascending.</summary>
    public IEnumerable<(Transport Transport, int Port)> Ports() =>
        Tcp.Ports().Select(p => (Transport.Tcp, p)).Concat(Udp.Ports().Select(p => (Transport.Udp, p)));

    /// <summary>Gathers ports of both transports, in any order.</summary>
    public static PortSelection Of(IEnumerable<(Transport Transport, int Port)> ports)
    {
        var tcp = new List<PortRange>();
        var udp = new List<PortRange>();
        foreach (var (transport, port) in ports)
        {
            (transport == Transport.Tcp ? tcp : udp).Add(new PortRange(port, port));
        }
        return new PortSelection(PortSet.Of(tcp), PortSet.Of(udp));
    }

    /// <summary>These ports without <paramref name="other"/>'s, transport by transport.</summary>
    public PortSelection Except(PortSelection other) => new(Tcp.Except(other.Tcp), Udp.Except(other.Udp));

    /// <summary>Parses what <see cref="ToString"/> writes: <c>1-5,9</c> (TCP) or <c>T:1-5,U:53</c>. Never throws.</summary>
    public static bool TryParse(string text, out PortSelection ports, out string error)
    {
        ports = Empty;
        var lists = new Dictionary<Transport, List<string>> { [Transport.Tcp] = [], [Transport.Udp] = [] };
        var current = Transport.Tcp;
        foreach (var raw in text.Split(','))
        {
            var part = raw;
            if (part.StartsWith("T:", StringComparison.Ordinal) || part.StartsWith("U:", StringComparison.Ordinal))
            {
                current = part[0] == 'T' ? Transport.Tcp : Transport.Udp;
                part = part[2..];
            }
            lists[current].Add(part);
        }
        var sets = new Dictionary<Transport, PortSet>();
        foreach (var (transport, parts) in lists)
        {
            if (parts.Count == 0)
            {
                sets[transport] = PortSet.Empty;
            }
            else if (PortSet.TryParse(string.Join(',', parts), out var set, out error))
            {
                sets[transport] = set;
            }
            else
            {
                return false;
            }
        }
        ports = new PortSelection(sets[Transport.Tcp], sets[Transport.Udp]);
        error = "";
        return true;
    }

    public override string ToString() => Udp.IsEmpty ? Tcp.ToString()
        : Tcp.IsEmpty ? $"U:{Udp}"
        : $"T:{Tcp},U:{Udp}";

    public bool Equals(PortSelection? other) => other is not null && Tcp.Equals(other.Tcp) && Udp.Equals(other.Udp);

    public override bool Equals(object? obj) => Equals(obj as PortSelection);

    public override int GetHashCode() => HashCode.Combine(Tcp, Udp);
}
