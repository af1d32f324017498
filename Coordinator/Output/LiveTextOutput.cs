using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>Prints each open port the moment a worker reports it, as nmap's verbose mode does: "Discovered open port 22/tcp on 127.0.0.1".</summary>
public sealed class LiveTextOutput(TextWriter writer, ProgressLine? progress) : IScanObserver
{
    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (port.State == PortState.Open)
        {
            var line = TextReport.Discovered(host, port);
            if (progress is null)
            {
                writer.WriteLine(line);
            }
            else
            {
                // The progress bar shares the terminal: it is cleared first, or the two would run together.
                progress.WriteAbove(() =>
                {
                    writer.WriteLine(line);
                    writer.Flush();
                });
            }
        }
    }
}
