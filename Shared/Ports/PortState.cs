namespace PortScan.Shared.Ports;

/// <summary>
/// What a scan concluded about one port, in nmap's vocabulary. Every requested port ends in
/// exactly one of these states, so counts always add up to the number of ports requested.
/// A byte: the coordinator keeps one a host-port (<c>SliceTracker</c>), 65.5 million of them for a /16
/// at nmap's top 1,000 ports.
/// </summary>
public enum PortState : byte
{
    /// <summary>No worker reported a result (the worker failed, or the scan was interrupted).</summary>
    Unscanned = 0,

    /// <summary>The TCP handshake completed with a real listener, or a UDP probe got a reply.</summary>
    Open,

    /// <summary>The host answered with a TCP reset or an ICMP port-unreachable: reachable, nothing listening.</summary>
    Closed,

    /// <summary>No answer within the timeout, or the host or network was unreachable.</summary>
    Filtered,

    /// <summary>
    /// UDP only: no reply and no ICMP port-unreachable, even after retries. An open service that
    /// ignores the probe and a firewall that drops it look the same; nmap's word for it.
    /// </summary>
    OpenFiltered,
}

public static class PortStateNames
{
    public static string ToWireName(this PortState state) => state switch
    {
        PortState.Open => "open",
        PortState.Closed => "closed",
        PortState.Filtered => "filtered",
        PortState.OpenFiltered => "open|filtered",
        _ => "unscanned",
    };
}
