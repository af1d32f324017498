using System.Net;
using PortScan.Shared.Ports;

namespace PortScan.Shared.Work;

/// <summary>Every port of <see cref="Ports"/> on every host of <see cref="Hosts"/>, scanned host by host.</summary>
public sealed record WorkSegment(IReadOnlyList<IPAddress> Hosts, PortSelection Ports)
{
    public long Count => (long)Hosts.Count * Ports.Count;

    /// <summary><c>127.0.0.1-127.0.0.8 1-1000</c> or <c>127.0.0.1 T:22,U:53</c>: the host list, a space, the ports.</summary>
    public override string ToString() => $"{HostList.Format(Hosts)} {Ports}";
}
