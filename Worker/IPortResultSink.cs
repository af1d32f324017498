using PortScan.Shared.Ports;

namespace PortScan.Worker;

/// <summary>Where the engine puts each finished port; the engine itself knows nothing about output.</summary>
internal interface IPortResultSink
{
    void Report(ScanTarget target, int port, PortState state, double rttMs);

    /// <summary>Called when the engine is about to wait, so buffered results reach the reader first.</summary>
    void Flush();
}
