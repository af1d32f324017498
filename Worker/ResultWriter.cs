using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker;

/// <summary>
/// Writes the worker's side of the protocol to stdout as JSON lines. Results are batched (a line
/// a port would cost more than the connect on loopback), one batch a host, but never held back
/// long, one batch a host and transport: batches go out when they are full, when the engine is about to wait, or after
/// <see cref="MaxDelay"/>. Every <see cref="HeartbeatInterval"/> a heartbeat says how many ports
/// are done and how long the rest will take (<paramref name="remaining"/>, the engine's estimate),
/// so the coordinator can tell slow from hung and show an ETA. Heartbeats come from the engine's
/// own loop, not a timer thread: a stuck loop stops them.
/// </summary>
/// <param name="remaining">The worker's estimate of the time its work still needs; null when it cannot tell.</param>
internal sealed class ResultWriter(Stream output, Func<TimeSpan?> remaining) : IPortResultSink
{
    private const int BatchSize = 4096;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    // Hosts with results waiting, in the order their first result came; the engine's timeouts
    // overlap hosts, so a few batches can be open at once.
    private readonly List<Batch> _pending = [];
    private readonly Dictionary<(ScanTarget, Transport), Batch> _batches = [];
    private Batch? _last;
    private int _waiting;
    private long _lastFlush = Stopwatch.GetTimestamp();
    private long _lastHeartbeat = Stopwatch.GetTimestamp();
    private int _finished;

    /// <summary>Every port reported since <see cref="StartCounting"/> (of this chunk, for a dynamic worker), by state: what the done message says.</summary>
    public ScanCounts Counts { get; private set; } = new();

    public void StartCounting() => Counts = new();

    private sealed class Batch(ScanTarget target, Transport transport)
    {
        public ScanTarget Target { get; } = target;
        public Transport Transport { get; } = transport;
        public List<OpenPort> Open { get; } = [];
        public List<int> Closed { get; } = [];
        public List<int> Filtered { get; } = [];
        public List<int> OpenFiltered { get; } = [];

        /// <summary>Filtered ports the network rejected, by reason; null until there is one (most batches have none).</summary>
        public Dictionary<string, List<int>>? Reasons { get; set; }
    }

    public void Send(WorkerMessage message)
    {
        ProtocolCodec.Write(output, message);
        output.Flush();
    }

    public void Report(ScanTarget target, Transport transport, int port, PortState state, double rttMs, string? banner = null, PortReason? reason = null)
    {
        _finished++;
        _waiting++;
        var batch = BatchOf(target, transport);
        switch (state)
        {
            case PortState.Open:
                batch.Open.Add(new OpenPort(port, Math.Round(rttMs, 3), banner));
                Counts.Open++;
                break;
            case PortState.Closed:
                batch.Closed.Add(port);
                Counts.Closed++;
                break;
            case PortState.Filtered:
                batch.Filtered.Add(port);
                Counts.Filtered++;
                if (reason is { } rejected && rejected.IsRejection())
                {
                    batch.Reasons ??= [];
                    var name = rejected.ToWireName();
                    if (!batch.Reasons.TryGetValue(name, out var ports))
                    {
                        batch.Reasons[name] = ports = [];
                    }
                    ports.Add(port);
                }
                break;
            case PortState.OpenFiltered:
                batch.OpenFiltered.Add(port);
                Counts.OpenFiltered++;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "a worker reports only scanned ports");
        }
        if (_waiting >= BatchSize || Stopwatch.GetElapsedTime(_lastFlush) >= MaxDelay)
        {
            Flush();
        }
    }

    public void Tell(WorkerMessage message)
    {
        Flush();
        Send(message);
    }

    private Batch BatchOf(ScanTarget target, Transport transport)
    {
        // Nearly every result is for the same host as the one before: skip the lookup then.
        if (_last?.Target == target && _last.Transport == transport)
        {
            return _last;
        }
        if (!_batches.TryGetValue((target, transport), out var batch))
        {
            batch = new Batch(target, transport);
            _batches[(target, transport)] = batch;
            _pending.Add(batch);
        }
        _last = batch;
        return batch;
    }

    public void Flush()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        if (_waiting > 0)
        {
            foreach (var batch in _pending)
            {
                Send(new PortsMessage(batch.Target.Text, batch.Transport.ToWireName(), batch.Open, batch.Closed, batch.Filtered, batch.OpenFiltered,
                    batch.Reasons?.ToDictionary(r => r.Key, r => (IReadOnlyList<int>)r.Value)));
            }
            _pending.Clear();
            _batches.Clear();
            _last = null;
            _waiting = 0;
        }
        if (_lastFlush - _lastHeartbeat >= HeartbeatInterval.TotalSeconds * Stopwatch.Frequency)
        {
            _lastHeartbeat = _lastFlush;
            Send(new HeartbeatMessage(_finished, remaining() is { } left ? (long)Math.Ceiling(left.TotalMilliseconds) : null));
        }
    }
}
