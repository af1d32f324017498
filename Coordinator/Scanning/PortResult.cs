using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// What the scan knows of one port of one host: <paramref name="RttMs"/> for open ports (the TCP
/// handshake or the UDP reply), <paramref name="Banner"/> when <c>--banners</c> caught one
/// (already escaped, see <see cref="Shared.Ports.Banner"/>).
/// </summary>
public readonly record struct PortResult(Transport Transport, int Port, PortState State, double? RttMs = null, string? Banner = null)
{
    /// <summary>"22/tcp", as nmap writes a port.</summary>
    public string Name => $"{Port}/{Transport.ToWireName()}";
}
