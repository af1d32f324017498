namespace PortScan.Shared.Ports;

/// <summary>
/// Why a port is in its state, in nmap's words (nmap's <c>portreasons.cc</c>; <c>--reason</c>).
/// Most follow from the state and the transport (<see cref="PortReasons.Usual"/>); only a filtered
/// port can have another one, when the network answered with an error instead of staying silent.
/// </summary>
public enum PortReason
{
    /// <summary>No worker reported the port. nmap has no such port, so no word: this one is portscan's.</summary>
    NotScanned = 0,

    /// <summary>TCP open: the handshake completed (nmap's connect scan says syn-ack too).</summary>
    SynAck,

    /// <summary>TCP closed: the connect was refused (a reset).</summary>
    ConnRefused,

    /// <summary>UDP open: a datagram came back.</summary>
    UdpResponse,

    /// <summary>UDP closed: an ICMP port-unreachable came back.</summary>
    PortUnreach,

    /// <summary>Filtered, or open|filtered: nothing came back before the last try timed out.</summary>
    NoResponse,

    /// <summary>Unscanned because --host-timeout gave the host up, as the user asked (nmap's word for a host it skips so).</summary>
    HostTimeout,

    /// <summary>A host is up because it answered an ICMP echo request (host discovery).</summary>
    EchoReply,

    /// <summary>Unscanned because host discovery found the host down (nmap scans no port of such a host).</summary>
    HostDown,

    /// <summary>EHOSTUNREACH: an ICMP host-unreachable (or administratively filtered), or a route of type unreachable.</summary>
    HostUnreach,

    /// <summary>ENETUNREACH (an ICMP net-unreachable, or no route) and ENETDOWN (the way out is down; nmap gives up on it).</summary>
    NetUnreach,

    /// <summary>EACCES: a route of type prohibit, or an ICMP administratively-prohibited that Linux reports so.</summary>
    AdminProhibited,

    /// <summary>EPERM: a firewall on this machine refused to send the probe. nmap's word for it; its connect scan never sees it.</summary>
    PermDenied,

    /// <summary>ECONNRESET while connecting.</summary>
    Reset,
}

public static class PortReasons
{
    private static readonly string[] Names =
    [
        "not-scanned", "syn-ack", "conn-refused", "udp-response", "port-unreach", "no-response", "host-timeout", "echo-reply", "host-down",
        "host-unreach", "net-unreach", "admin-prohibited", "perm-denied", "reset",
    ];

    /// <summary>nmap's word: <c>syn-ack</c>, <c>conn-refused</c>, <c>host-unreach</c>…</summary>
    public static string ToWireName(this PortReason reason) => Names[(int)reason];

    /// <summary>The reason a port of <paramref name="transport"/> in <paramref name="state"/> has unless the network said otherwise.</summary>
    public static PortReason Usual(Transport transport, PortState state) => state switch
    {
        PortState.Open => transport == Transport.Tcp ? PortReason.SynAck : PortReason.UdpResponse,
        PortState.Closed => transport == Transport.Tcp ? PortReason.ConnRefused : PortReason.PortUnreach,
        PortState.Filtered or PortState.OpenFiltered => PortReason.NoResponse,
        _ => PortReason.NotScanned,
    };

    /// <summary>
    /// True for the reasons that are an answer from the network (an ICMP error, a route, a local
    /// firewall) rather than silence: the ones that make a port filtered at once, and the only ones
    /// a worker names (docs/protocol.md, <c>ports.reasons</c>).
    /// </summary>
    public static bool IsRejection(this PortReason reason) => reason >= PortReason.HostUnreach;

    public static bool TryParse(string name, out PortReason reason)
    {
        var index = Array.IndexOf(Names, name);
        reason = index < 0 ? PortReason.NotScanned : (PortReason)index;
        return index >= 0;
    }
}
