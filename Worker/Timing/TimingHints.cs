using System.Collections.Concurrent;
using PortScan.Shared.Protocol;

namespace PortScan.Worker.Timing;

/// <summary>
/// Round-trip times that other workers measured, passed on by the coordinator on stdin
/// (protocol 5). A slice can hold no port that answers (a firewalled block of a host): without a
/// hint its every probe would wait the initial timeout, 1 s by default, where the host answers
/// others in a fraction of a millisecond. Filled by the stdin reader's thread, applied by the engine's.
/// </summary>
internal sealed class TimingHints
{
    private readonly ConcurrentQueue<TimingMessage> _received = new();

    public void Add(TimingMessage hint) => _received.Enqueue(hint);

    /// <summary>Seeds each hinted host that has no answers of its own yet.</summary>
    public void ApplyTo(HostTimings hosts)
    {
        while (_received.TryDequeue(out var hint))
        {
            if (System.Net.IPAddress.TryParse(hint.Target, out var address) && hosts.Find(address) is { } host)
            {
                host.Seed(hint);
            }
        }
    }
}
