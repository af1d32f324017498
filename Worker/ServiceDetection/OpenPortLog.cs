using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker.ServiceDetection;

/// <summary>A port version detection probes: an open one, or a UDP port held back as open|filtered until it is probed.</summary>
internal readonly record struct PortToProbe(ScanTarget Target, Transport Transport, int Port, bool Held, double RttMs, PortReason? Reason);

/// <summary>
/// Notes the ports version detection then probes (<c>-sV</c>), in the order they were found. Open
/// ports are passed on to the protocol writer at once. A UDP port reported open|filtered is held
/// back, as nmap's service scan does with such ports: a probe it answers makes it open, and only then
/// is its state known (<see cref="VersionScanner"/> reports it, open or still open|filtered).
/// </summary>
internal sealed class OpenPortLog(IPortResultSink inner) : IPortResultSink
{
    private readonly List<PortToProbe> _ports = [];

    public IReadOnlyList<PortToProbe> Ports => _ports;

    public void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null, PortReason? reason = null)
    {
        if (state == PortState.OpenFiltered && transport == Transport.Udp)
        {
            _ports.Add(new PortToProbe(target, transport, port, Held: true, rttMs, reason));
            return;
        }
        if (state == PortState.Open)
        {
            _ports.Add(new PortToProbe(target, transport, port, Held: false, rttMs, reason));
        }
        inner.Report(target, transport, port, state, rttMs, banner, reason);
    }

    public void Tell(WorkerMessage message) => inner.Tell(message);

    public void Flush() => inner.Flush();
}
