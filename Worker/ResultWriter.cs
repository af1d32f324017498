using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker;

/// <summary>
/// Writes the worker's side of the protocol to stdout as JSON lines. Results are batched (a line
/// a port would cost more than the connect on loopback) but never held back long: a batch goes
/// out when it is full, when the engine is about to wait, or after <see cref="MaxDelay"/>.
/// A worker with nothing to report (all its connects waiting out a long timeout) sends a
/// heartbeat every <see cref="HeartbeatInterval"/>, so its coordinator can tell slow from hung.
/// Heartbeats come from the engine's own loop, not a timer thread: a stuck loop stops them.
/// </summary>
internal sealed class ResultWriter(Stream output) : IPortResultSink
{
    private const int BatchSize = 4096;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly List<OpenPort> _open = [];
    private readonly List<int> _closed = [];
    private readonly List<int> _filtered = [];
    private long _lastFlush = Stopwatch.GetTimestamp();
    private long _lastSend = Stopwatch.GetTimestamp();
    private int _finished;

    public void Send(WorkerMessage message)
    {
        ProtocolCodec.Write(output, message);
        output.Flush();
        _lastSend = Stopwatch.GetTimestamp();
    }

    public void Report(int port, PortState state, double rttMs)
    {
        _finished++;
        switch (state)
        {
            case PortState.Open:
                _open.Add(new OpenPort(port, Math.Round(rttMs, 3)));
                break;
            case PortState.Closed:
                _closed.Add(port);
                break;
            case PortState.Filtered:
                _filtered.Add(port);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "a worker reports only scanned ports");
        }
        if (_open.Count + _closed.Count + _filtered.Count >= BatchSize || Stopwatch.GetElapsedTime(_lastFlush) >= MaxDelay)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        if (_open.Count + _closed.Count + _filtered.Count == 0)
        {
            if (Stopwatch.GetElapsedTime(_lastSend) >= HeartbeatInterval)
            {
                Send(new HeartbeatMessage(_finished));
            }
            return;
        }
        Send(new PortsMessage(_open, _closed, _filtered));
        _open.Clear();
        _closed.Clear();
        _filtered.Clear();
    }
}
