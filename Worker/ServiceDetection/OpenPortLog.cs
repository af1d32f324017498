using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Passes every result on to the protocol writer and notes the open ports, in the order they were
/// found: the ports version detection then probes (<c>-sV</c>). UDP ports reported open|filtered are
/// not probed (README says so): nmap's UDP probes wait 5 s each for an answer most such ports never give.
/// </summary>
internal sealed class OpenPortLog(IPortResultSink inner) : IPortResultSink
{
    private readonly List<(ScanTarget Target, Transport Transport, int Port)> _open = [];

    public IReadOnlyList<(ScanTarget Target, Transport Transport, int Port)> Open => _open;

    public void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null, PortReason? reason = null)
    {
        if (state == PortState.Open)
        {
            _open.Add((target, transport, port));
        }
        inner.Report(target, transport, port, state, rttMs, banner, reason);
    }

    public void Tell(WorkerMessage message) => inner.Tell(message);

    public void Flush() => inner.Flush();
}
