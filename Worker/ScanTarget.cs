using System.Net;
using PortScan.Worker.Native;

namespace PortScan.Worker;

/// <summary>One host of the worker's work: its address, as text for the protocol and as a sockaddr for connect().</summary>
internal sealed class ScanTarget(IPAddress address)
{
    public IPAddress Address { get; } = address;

    /// <summary>The address as the <c>target</c> of ports messages; formatted once, not once a batch.</summary>
    public string Text { get; } = address.ToString();

    public TargetSocketAddress SocketAddress { get; } = new(address);
}
