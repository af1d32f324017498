using System.Diagnostics;
using System.Net;
using System.Text;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Appends every result the coordinator accepts to the scan's journal (<see cref="JournalFormat"/>),
/// so a scan that dies can be resumed (<see cref="JournalFile"/>). Results are gathered between
/// progress ticks (four a second) and written then, closed and filtered ports as ranges; the file is
/// handed to the kernel every tick and forced to disk at most a second apart. So a SIGKILL loses at
/// most the last tick's results, a power cut at most the last second's.
/// </summary>
public sealed class ScanJournal : IScanObserver, IDisposable
{
    /// <summary>
    /// The least time between two fsyncs: every third tick (0.75 s), the third counted as due even when
    /// it comes a little early, so a power cut loses under a second (measured with strace: 0.75 s apart;
    /// with 0.75 here a tick a hair early pushed it to the fourth, 1.0 s).
    /// </summary>
    private static readonly TimeSpan SyncEvery = TimeSpan.FromSeconds(0.6);

    private readonly FileStream _file;
    private readonly string _hash;
    private readonly Dictionary<(IPAddress Host, Transport Transport, PortState State), List<PortRange>> _ranges = [];
    private readonly Dictionary<(IPAddress Host, Transport Transport), (List<OpenPort> Open, List<int> Filtered, Dictionary<string, List<int>> Reasons)> _messages = [];
    private readonly List<ServiceMessage> _services = [];
    private long _syncedAt = Stopwatch.GetTimestamp();
    private bool _closed;

    private ScanJournal(FileStream file, string hash)
    {
        _file = file;
        _hash = hash;
    }

    public string Path => _file.Name;

    /// <summary>A new journal for a scan started in <paramref name="directory"/> with <paramref name="arguments"/>, its header on disk.</summary>
    /// <exception cref="IOException">The file exists, or cannot be created.</exception>
    public static ScanJournal Create(string path, string directory, IReadOnlyList<string> arguments)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var header = JournalFormat.Header(directory, arguments);
        var hash = JournalFormat.Hash(header);
        var journal = new ScanJournal(file, hash);
        journal.Write($"{header}{JournalFormat.HashKey}{hash}\n");
        file.Flush(flushToDisk: true);
        return journal;
    }

    /// <summary>Goes on with <paramref name="journal"/>, after cutting off the incomplete line its last run may have left.</summary>
    public static ScanJournal Continue(JournalFile journal)
    {
        var file = new FileStream(journal.Path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        file.SetLength(journal.CompleteLength);
        file.Seek(0, SeekOrigin.End);
        return new ScanJournal(file, journal.Hash);
    }

    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (port.State == PortState.Open || port.Reason.IsRejection())
        {
            var message = Message(host.Address, port.Transport);
            if (port.State == PortState.Open)
            {
                message.Open.Add(new OpenPort(port.Port, port.RttMs ?? 0, port.Banner));
            }
            else
            {
                message.Filtered.Add(port.Port);
                var name = port.Reason.ToWireName();
                (message.Reasons.TryGetValue(name, out var list) ? list : message.Reasons[name] = []).Add(port.Port);
            }
            return;
        }
        var key = (host.Address, port.Transport, port.State);
        var ranges = _ranges.TryGetValue(key, out var found) ? found : _ranges[key] = [];
        // Workers report ports mostly in ascending runs: extend the last range rather than add one a port.
        if (ranges.Count > 0 && ranges[^1].End + 1 == port.Port)
        {
            ranges[^1] = new PortRange(ranges[^1].Start, port.Port);
        }
        else
        {
            ranges.Add(new PortRange(port.Port, port.Port));
        }
    }

    public void ServiceFound(SliceTracker slice, ResolvedTarget host, PortResult port) =>
        _services.Add(new ServiceMessage(host.Address.ToString(), port.Transport.ToWireName(), port.Port, port.Service!));

    public void Progressed(ScanProgress progress) => Flush(sync: Stopwatch.GetElapsedTime(_syncedAt) >= SyncEvery);

    /// <summary>Writes what is gathered, and forces it to disk; once.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        Flush(sync: true);
        _file.Dispose();
    }

    private (List<OpenPort> Open, List<int> Filtered, Dictionary<string, List<int>> Reasons) Message(IPAddress host, Transport transport)
    {
        var key = (host, transport);
        return _messages.TryGetValue(key, out var message) ? message : _messages[key] = ([], [], []);
    }

    private void Flush(bool sync)
    {
        var lines = new StringBuilder();
        foreach (var ((host, transport, state), ranges) in _ranges)
        {
            lines.Append(JournalFormat.Line(_hash, $"{state.ToWireName()} {host} {transport.ToWireName()} {PortSet.Of(ranges)}"));
        }
        foreach (var ((host, transport), (open, filtered, reasons)) in _messages)
        {
            var message = new PortsMessage(host.ToString(), transport.ToWireName(), open, [], filtered, [],
                reasons.ToDictionary(r => r.Key, r => (IReadOnlyList<int>)r.Value));
            lines.Append(JournalFormat.Line(_hash, $"{JournalFormat.PortsKind} {ProtocolCodec.Serialize(message)}"));
        }
        // After the ports: a service is of an open port written before it.
        foreach (var service in _services)
        {
            lines.Append(JournalFormat.Line(_hash, $"{JournalFormat.ServiceKind} {ProtocolCodec.Serialize(service)}"));
        }
        _ranges.Clear();
        _messages.Clear();
        _services.Clear();
        if (lines.Length > 0)
        {
            Write(lines.ToString());
        }
        if (sync)
        {
            _file.Flush(flushToDisk: true);
            _syncedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Straight to the kernel (the stream has no buffer of its own): from here a SIGKILL cannot lose it.</summary>
    private void Write(string text) => _file.Write(Encoding.UTF8.GetBytes(text));
}
