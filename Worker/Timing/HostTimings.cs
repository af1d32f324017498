using System.Net;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;

namespace PortScan.Worker.Timing;

/// <summary>One <see cref="HostTiming"/> a host of the worker's work, shared by both engines, so UDP starts with what TCP learned.</summary>
/// <param name="chunked">A dynamic worker's, whose hosts' work comes a chunk at a time.</param>
internal sealed class HostTimings(ProbeSettings settings, bool chunked = false)
{
    private readonly Dictionary<IPAddress, HostTiming> _hosts = [];

    public IEnumerable<HostTiming> All => _hosts.Values;

    public HostTiming? Find(IPAddress address) => _hosts.GetValueOrDefault(address);

    public HostTiming For(IPAddress address)
    {
        if (!_hosts.TryGetValue(address, out var host))
        {
            host = new HostTiming(new ScanTarget(address), settings, chunked);
            _hosts[address] = host;
        }
        return host;
    }

    /// <summary>The work of one transport as (host, ports) pairs in scan order; a host may appear more than once.</summary>
    public IReadOnlyList<(HostTiming Host, PortSet Ports)> Plan(WorkSet work, Transport transport)
    {
        var plan = new List<(HostTiming, PortSet)>();
        foreach (var segment in work.Segments)
        {
            var ports = segment.Ports[transport];
            if (ports.IsEmpty)
            {
                continue;
            }
            foreach (var address in segment.Hosts)
            {
                plan.Add((For(address), ports));
            }
        }
        return plan;
    }
}
