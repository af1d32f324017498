using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>Prints each open port the moment a worker reports it (every port with --show-closed).</summary>
public sealed class LiveTextOutput(TextWriter writer, ServiceNames services, bool showClosed) : IScanObserver
{
    public void PortFinished(SliceTracker slice, int port, PortState state, double rttMs)
    {
        if (state == PortState.Open || showClosed)
        {
            writer.WriteLine(TextReport.PortLine(port, state, services[port]));
        }
    }
}
