using PortScan.Worker.Timing;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker.Probing;

/// <summary>A probe waiting for its answer: its host, when it left, and which send it was.</summary>
internal interface IInFlight
{
    HostTiming Host { get; }

    long SentAt { get; }

    /// <summary>Tells this probe from an earlier one on the same (reused) descriptor.</summary>
    long Sequence { get; }
}

/// <summary>
/// The probes in flight, by descriptor, and their deadlines: one FIFO a host, because all of a
/// host's probes wait the host's current timeout, so they expire in the order they were sent. The
/// timeout is read when a deadline is checked, not when the probe is sent, so a probe sent before
/// the host's first answer stops waiting as soon as that answer shortens the timeout.
/// </summary>
internal sealed class InFlightProbes<T> where T : struct, IInFlight
{
    private readonly Dictionary<int, T> _entries = [];
    private readonly Dictionary<HostTiming, Queue<(int Fd, long Sequence)>> _deadlines = [];
    // Hosts with deadlines queued: few at a time, since the work is walked host by host.
    private readonly List<HostTiming> _active = [];

    public int Count => _entries.Count;

    public IEnumerable<int> Descriptors => _entries.Keys;

    public void Add(int fd, T entry)
    {
        _entries[fd] = entry;
        if (!_deadlines.TryGetValue(entry.Host, out var queue))
        {
            queue = new Queue<(int, long)>();
            _deadlines[entry.Host] = queue;
        }
        if (queue.Count == 0)
        {
            _active.Add(entry.Host);
        }
        queue.Enqueue((fd, entry.Sequence));
    }

    /// <summary>Replaces a probe's entry without touching its deadline (a spurious wake-up).</summary>
    public void Restore(int fd, T entry) => _entries[fd] = entry;

    public bool Remove(int fd, out T entry) => _entries.Remove(fd, out entry);

    public bool TryGet(int fd, out T entry) => _entries.TryGetValue(fd, out entry);

    /// <summary>Takes out the oldest probe past its host's timeout; false when none is.</summary>
    public bool TryExpire(long now, out int fd, out T entry)
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var host = _active[i];
            if (Head(host) is not { } head)
            {
                _active.RemoveAt(i);
                continue;
            }
            if (now - head.Entry.SentAt >= host.TimeoutTicks)
            {
                _deadlines[host].Dequeue();
                _entries.Remove(head.Fd);
                (fd, entry) = (head.Fd, head.Entry);
                return true;
            }
        }
        (fd, entry) = (0, default);
        return false;
    }

    /// <summary>Ticks until the next deadline; long.MaxValue when nothing waits.</summary>
    public long TicksToNextDeadline(long now)
    {
        var remaining = long.MaxValue;
        foreach (var host in _active)
        {
            if (Head(host) is { } head)
            {
                remaining = Math.Min(remaining, head.Entry.SentAt + host.TimeoutTicks - now);
            }
        }
        return remaining;
    }

    /// <summary>The host's oldest probe still in flight, dropping deadlines of probes settled already.</summary>
    private (int Fd, T Entry)? Head(HostTiming host)
    {
        var queue = _deadlines[host];
        while (queue.TryPeek(out var head))
        {
            if (_entries.TryGetValue(head.Fd, out var entry) && entry.Sequence == head.Sequence)
            {
                return (head.Fd, entry);
            }
            queue.Dequeue();
        }
        return null;
    }

    /// <summary>Closes every descriptor still in flight.</summary>
    public void CloseAll()
    {
        foreach (var fd in _entries.Keys)
        {
            Close(fd);
        }
        _entries.Clear();
    }
}
