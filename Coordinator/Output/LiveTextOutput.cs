using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>Prints each open port the moment a worker reports it, as nmap's verbose mode does: "Discovered open port 22/tcp on 127.0.0.1".</summary>
public sealed class LiveTextOutput(TextWriter writer, ConsoleLines lines) : IScanObserver
{
    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (port.State == PortState.Open)
        {
            lines.WriteLine(writer, TextReport.Discovered(host, port));
        }
    }
}
