using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker;

/// <summary>Where the engines put each finished port; the engines themselves know nothing about output.</summary>
internal interface IPortResultSink
{
    /// <param name="banner">Escaped by <see cref="Banner.Escape"/>; null when there is none.</param>
    /// <param name="reason">Why the port is filtered when the network said so (an ICMP error, a route); null for the state's usual reason.</param>
    void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null, PortReason? reason = null);

    /// <summary>Sends a message about the scan itself (a change of pace, a host's timing), after the results before it.</summary>
    void Tell(WorkerMessage message);

    /// <summary>Called when an engine is about to wait, so buffered results reach the reader first.</summary>
    void Flush();
}
