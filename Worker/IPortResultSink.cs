using PortScan.Shared.Ports;

namespace PortScan.Worker;

/// <summary>Where the engines put each finished port; the engines themselves know nothing about output.</summary>
internal interface IPortResultSink
{
    /// <param name="banner">Escaped by <see cref="Banner.Escape"/>; null when there is none.</param>
    void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null);

    /// <summary>Called when an engine is about to wait, so buffered results reach the reader first.</summary>
    void Flush();
}
