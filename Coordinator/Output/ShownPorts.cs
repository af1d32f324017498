using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>Which ports the reports list one by one; the counts and totals always cover every port.</summary>
public enum ShownPorts
{
    /// <summary>nmap's default: open ports, and in nmap's formats every state but the most common one (<see cref="PortListing"/>).</summary>
    Usual,

    /// <summary><c>--show-closed</c>: every port.</summary>
    All,

    /// <summary><c>--open</c>, as nmap's: only ports that are or may be open (open and open|filtered); hosts with none are left out of nmap's formats.</summary>
    Open,
}

public static class ShownPortsRules
{
    /// <summary>Whether a port in <paramref name="state"/> gets an entry of its own in the JSON, JSON-lines and CSV reports, which fold nothing.</summary>
    public static bool Lists(this ShownPorts shown, PortState state) => shown switch
    {
        ShownPorts.All => true,
        ShownPorts.Open => state is PortState.Open or PortState.OpenFiltered,
        _ => state == PortState.Open,
    };

    /// <summary>
    /// Whether nmap's formats (text, XML, grepable) have a block for <paramref name="host"/>: with
    /// <c>--open</c>, as nmap's <c>hasOpenPorts</c>, only a host with a port that is or may be open.
    /// </summary>
    public static bool ShowsHost(this ShownPorts shown, Scanning.HostResult host) =>
        shown != ShownPorts.Open || host.Summary.Open + host.Summary.OpenFiltered > 0;

    /// <summary>The ports of <paramref name="host"/> listed in the JSON, JSON-lines and CSV reports, in order.</summary>
    public static IEnumerable<Scanning.PortResult> Of(this ShownPorts shown, Scanning.HostResult host) =>
        shown == ShownPorts.Usual ? host.Ports(includeNotOpen: false) : host.Ports(includeNotOpen: true).Where(p => shown.Lists(p.State));
}
