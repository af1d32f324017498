using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// What the scan knows of one port of one host: <see cref="RttMs"/> for open ports (the TCP
/// handshake or the UDP reply), <see cref="Banner"/> when <c>--banners</c> caught one (already
/// escaped, see <see cref="Shared.Ports.Banner"/>), what version detection found (<see cref="Service"/>,
/// with -sV), and why it is in its state.
/// </summary>
public readonly record struct PortResult
{
    /// <param name="reason">Null for the state's usual reason (<see cref="PortReasons.Usual"/>).</param>
    public PortResult(Transport transport, int port, PortState state, double? rttMs = null, string? banner = null, PortReason? reason = null,
        DetectedService? service = null)
    {
        Service = service;
        Transport = transport;
        Port = port;
        State = state;
        RttMs = rttMs;
        Banner = banner;
        Reason = reason ?? PortReasons.Usual(transport, state);
    }

    public Transport Transport { get; }
    public int Port { get; }
    public PortState State { get; }
    public double? RttMs { get; }
    public string? Banner { get; }
    public PortReason Reason { get; }

    /// <summary>What -sV found; null without -sV, or when the port's worker failed before probing it.</summary>
    public DetectedService? Service { get; }

    /// <summary>"22/tcp", as nmap writes a port.</summary>
    public string Name => $"{Port}/{Transport.ToWireName()}";
}
