using System.Collections.Concurrent;
using PortScan.Shared.Protocol;

namespace PortScan.Worker.Timing;

/// <summary>
/// What the coordinator passes on from other workers, on stdin: round-trip times they measured
/// (protocol 5) and hosts they gave up (--host-timeout, protocol 6). A slice can hold no port that
/// answers (a firewalled block of a host): without a hint its every probe would wait the initial
/// timeout, 1 s by default, where the host answers others in a fraction of a millisecond. A host
/// another worker gave up has had its time, here too. Filled by the stdin reader's thread, applied
/// by the engine's.
/// </summary>
internal sealed class TimingHints
{
    private readonly ConcurrentQueue<WorkerMessage> _received = new();

    /// <summary>Keeps what a worker uses (timing and hostTimeout); any other message is ignored.</summary>
    public void Add(WorkerMessage hint)
    {
        if (hint is TimingMessage or HostTimeoutMessage)
        {
            _received.Enqueue(hint);
        }
    }

    /// <summary>Seeds each hinted host that has no answers of its own yet; ends the time of hosts given up elsewhere.</summary>
    public void ApplyTo(HostTimings hosts)
    {
        while (_received.TryDequeue(out var hint))
        {
            var target = hint is TimingMessage timing ? timing.Target : ((HostTimeoutMessage)hint).Target;
            if (!System.Net.IPAddress.TryParse(target, out var address) || hosts.Find(address) is not { } host)
            {
                continue;
            }
            if (hint is TimingMessage seed)
            {
                host.Seed(seed);
            }
            else
            {
                host.GiveUpElsewhere();
            }
        }
    }
}
