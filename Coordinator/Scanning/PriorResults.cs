using System.Collections;
using System.Net;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// What a journal holds from the runs of a scan before this one (<see cref="JournalFile"/>), in
/// the journal's own compact form: ranges of closed and filtered ports, and protocol messages for
/// open ports and services. <see cref="Restore"/> records them before any worker starts, so each
/// slice's first worker is given only what the journal does not hold.
/// </summary>
public sealed class PriorResults
{
    private readonly List<(IPAddress Host, Transport Transport, PortState State, PortSet Ports, int Line)> _ranges = [];
    private readonly List<(PortsMessage Message, int Line)> _messages = [];
    private readonly List<(ServiceMessage Message, int Line)> _services = [];

    /// <summary>Host-ports the journal holds a result of.</summary>
    public long Count { get; private set; }

    internal void AddRange(IPAddress host, Transport transport, PortState state, PortSet ports, int line)
    {
        _ranges.Add((host, transport, state, ports, line));
        Count += ports.Count;
    }

    internal void AddPorts(PortsMessage message, int line)
    {
        _messages.Add((message, line));
        Count += message.Open.Count + message.Closed.Count + message.Filtered.Count + message.OpenFiltered.Count;
    }

    internal void AddService(ServiceMessage message, int line) => _services.Add((message, line));

    /// <summary>
    /// Records every result into the slice that holds it, and counts it for progress.
    /// The same checks as a worker's results (a host-port of this
    /// scan, reported once, a state its transport can have): a journal that fails one does not
    /// belong to this scan's targets and ports, and nothing is merged.
    /// With -sV an open port whose service the journal lacks is left to scan again, so its service
    /// is found as in an uninterrupted scan.
    /// </summary>
    /// <exception cref="UsageException">The journal and the scan disagree; one line says where.</exception>
    public void Restore(ScanRequest request, IReadOnlyList<SliceTracker> slices, ProgressCounts counts)
    {
        var work = request.Work;
        // A stand-in attempt a slice, given every position: what it records is checked like any worker's results.
        var journal = slices.Select(s => new WorkerAttempt(s, 0, s.Slice.Work, new BitArray(s.Slice.Bounds.Count, true), s.Slice.Worker)).ToArray();
        var serviced = new HashSet<int>();
        if (request.Version is not null)
        {
            foreach (var (message, line) in _services)
            {
                if (TransportNames.TryParse(message.Transport, out var transport))
                {
                    serviced.Add(Position(message.Target, transport, message.Port, line));
                }
            }
        }
        var last = 0;

        void Record(string target, PortResult result, int line)
        {
            var host = HostIndex(target, line);
            var position = Position(target, result.Transport, result.Port, line);
            last = slices[last].Holds(position) ? last : Enumerable.Range(0, slices.Count).First(i => slices[i].Holds(position));
            var slice = slices[last];
            if (result.State == PortState.Open && request.Version is not null)
            {
                // An open port re-scanned by an earlier resume for its service is in the journal twice.
                if (!serviced.Contains(position) || slice.StateAt(position) == PortState.Open)
                {
                    return;
                }
            }
            if (!slice.TryRecord(journal[last], host, result, out var problem))
            {
                throw Mismatch(line, problem);
            }
            counts.Recorded(host, result);
        }

        foreach (var (host, transport, state, ports, line) in _ranges)
        {
            foreach (var port in ports.Ports())
            {
                Record(host.ToString(), new PortResult(transport, port, state), line);
            }
        }
        foreach (var (message, line) in _messages)
        {
            if (!TransportNames.TryParse(message.Transport, out var transport))
            {
                throw Mismatch(line, $"'{message.Transport}' is not tcp or udp");
            }
            foreach (var open in message.Open)
            {
                Record(message.Target, new PortResult(transport, open.Port, PortState.Open, open.RttMs, open.Banner), line);
            }
            var reasons = new Dictionary<int, PortReason>();
            foreach (var (name, list) in message.Reasons ?? new Dictionary<string, IReadOnlyList<int>>())
            {
                foreach (var port in list)
                {
                    reasons[port] = PortReasons.TryParse(name, out var reason) && reason.IsRejection() ? reason : throw Mismatch(line, $"'{name}' is not a rejection nmap names");
                }
            }
            foreach (var (state, list) in new[] { (PortState.Closed, message.Closed), (PortState.Filtered, message.Filtered), (PortState.OpenFiltered, message.OpenFiltered) })
            {
                foreach (var port in list)
                {
                    Record(message.Target, new PortResult(transport, port, state, reason: reasons.TryGetValue(port, out var reason) ? reason : null), line);
                }
            }
        }
        foreach (var (message, line) in _services.Where(_ => request.Version is not null))
        {
            var transport = TransportNames.TryParse(message.Transport, out var named) ? named : throw Mismatch(line, $"'{message.Transport}' is not tcp or udp");
            var position = Position(message.Target, transport, message.Port, line);
            var index = Enumerable.Range(0, slices.Count).First(i => slices[i].Holds(position));
            if (message.Service.Problem() is { } problem
                || !slices[index].TryRecordService(journal[index], HostIndex(message.Target, line), transport, message.Port, message.Service, out problem))
            {
                throw Mismatch(line, problem);
            }
        }

        int HostIndex(string target, int line) =>
            IPAddress.TryParse(target, out var address) && work.HostIndex(address) is >= 0 and var host ? host
            : throw Mismatch(line, $"{target} is not a target of this scan now (a name may resolve to another address than when the scan began)");

        int Position(string target, Transport transport, int port, int line) =>
            work.PositionOf(HostIndex(target, line), transport, port) is >= 0 and var position ? position
            : throw Mismatch(line, $"{target} port {port}/{transport.ToWireName()} is not a port this scan asks for");
    }

    private static UsageException Mismatch(int line, string problem) =>
        new($"the journal does not match its scan at line {line}: {problem}; nothing was merged");
}
