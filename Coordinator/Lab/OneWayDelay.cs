using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// One direction of a <see cref="DelayLine"/>. A reader thread takes each packet from one TUN
/// device as it comes and stamps it with when it is due: now + delay ± jitter, drawn uniformly for
/// each packet. A writer thread sleeps until the earliest packet is due and writes it into the
/// other TUN device. Packets leave in order of due time, so with jitter a packet may overtake one
/// sent before it (as with netem's jitter) and every packet gets exactly the delay drawn for it;
/// without jitter the order is kept. Dedicated threads, not the thread pool: blocking in poll and
/// in timed waits is their whole job.
/// </summary>
internal sealed unsafe class OneWayDelay
{
    /// <summary>TUN's MTU is 1500, and without IFF_VNET_HDR the kernel segments before the device.</summary>
    private const int MaxPacket = 2048;

    /// <summary>
    /// Blocks kept for reuse (8 MB): more than are in flight at 100 ms and 25,000 packets a second
    /// (1,250). A scan's first burst can hold 32,768 in flight; blocks beyond these are freed.
    /// </summary>
    private const int MaxFree = 4096;

    private readonly TunDevice _from;
    private readonly TunDevice _to;
    private readonly long _delay;
    private readonly long _jitter;
    private readonly Random _random = new();
    private readonly object _gate = new();
    private readonly PriorityQueue<Packet, (long Due, long Sequence)> _queue = new();
    private readonly Stack<nint> _free = new();
    private readonly Thread _reader;
    private readonly Thread _writer;
    private long _sequence;
    private volatile bool _stopping;

    /// <param name="delay">Each packet's mean delay.</param>
    /// <param name="jitter">How far a packet's delay may lie either side of <paramref name="delay"/>.</param>
    /// <param name="stop">Readable once the line is stopping: it wakes the reader from poll.</param>
    public OneWayDelay(TunDevice from, TunDevice to, TimeSpan delay, TimeSpan jitter, SafeFileHandle stop)
    {
        _from = from;
        _to = to;
        _delay = ToTicks(delay);
        _jitter = ToTicks(jitter);
        _reader = new Thread(() => Read(stop)) { IsBackground = true, Name = $"lab {from.Name} reader" };
        _writer = new Thread(Write) { IsBackground = true, Name = $"lab {to.Name} writer" };
        _reader.Start();
        _writer.Start();
    }

    /// <summary>Ends both threads (the caller has made the stop descriptor readable) and frees every block.</summary>
    public void Stop()
    {
        _stopping = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
        _reader.Join();
        _writer.Join();
        while (_queue.TryDequeue(out var packet, out _))
        {
            NativeMemory.Free((void*)packet.Block);
        }
        while (_free.TryPop(out var block))
        {
            NativeMemory.Free((void*)block);
        }
    }

    private void Read(SafeFileHandle stop)
    {
        var block = (byte*)NativeMemory.Alloc(MaxPacket);
        while (!_stopping)
        {
            var length = _from.Read(block, MaxPacket);
            if (length > 0)
            {
                block = Enqueue(new Packet((nint)block, length));
            }
            else if (!_from.WaitReadable(stop))
            {
                break;
            }
        }
        NativeMemory.Free(block);
    }

    /// <summary>Queues the packet; returns a block for the next one.</summary>
    private byte* Enqueue(Packet packet)
    {
        var due = Stopwatch.GetTimestamp() + _delay + (_jitter == 0 ? 0 : _random.NextInt64(-_jitter, _jitter + 1));
        lock (_gate)
        {
            // The writer sleeps until the head is due: wake it only when the head changes.
            var newHead = !_queue.TryPeek(out _, out var head) || due < head.Due;
            _queue.Enqueue(packet, (due, _sequence++));
            if (newHead)
            {
                Monitor.Pulse(_gate);
            }
            return _free.TryPop(out var next) ? (byte*)next : (byte*)NativeMemory.Alloc(MaxPacket);
        }
    }

    private void Write()
    {
        var due = new List<Packet>();
        while (TakeDue(due))
        {
            foreach (var packet in due)
            {
                _to.Write((byte*)packet.Block, packet.Length);
            }
        }
    }

    /// <summary>
    /// Takes back the blocks of the packets in <paramref name="due"/>, which have been written; waits
    /// until a packet is due, then moves every due packet to <paramref name="due"/>. False once stopping.
    /// </summary>
    private bool TakeDue(List<Packet> due)
    {
        lock (_gate)
        {
            foreach (var packet in due)
            {
                if (_free.Count < MaxFree)
                {
                    _free.Push(packet.Block);
                }
                else
                {
                    NativeMemory.Free((void*)packet.Block);
                }
            }
            due.Clear();
            while (!_stopping)
            {
                if (!_queue.TryPeek(out _, out var head))
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var now = Stopwatch.GetTimestamp();
                if (head.Due > now)
                {
                    // Timed waits have millisecond resolution: round up, so no packet leaves early
                    // (measured: 100 ms round trip, median connect 102.2 ms, never below 100.9).
                    Monitor.Wait(_gate, (int)Math.Ceiling((head.Due - now) * 1000.0 / Stopwatch.Frequency));
                    continue;
                }
                while (_queue.TryPeek(out _, out head) && head.Due <= now)
                {
                    due.Add(_queue.Dequeue());
                }
                return true;
            }
            return false;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A packet in a native block: tens of thousands in flight would otherwise be garbage-collected heap.</summary>
    private readonly record struct Packet(nint Block, int Length);
}
