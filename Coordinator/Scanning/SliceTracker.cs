using System.Collections;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// The coordinator's record of one slice: the state of every host-port in it, so it always knows
/// exactly which are finished (and what a replacement worker still has to do), and every worker
/// process that worked on it. Positions are those of the scan's <see cref="WorkList"/>.
/// </summary>
public sealed class SliceTracker(Slice slice, WorkList work)
{
    private readonly PortState[] _states = new PortState[slice.Bounds.Count];
    private readonly Dictionary<int, double> _rttMs = [];
    private readonly Dictionary<int, string> _banners = [];
    private readonly Dictionary<int, DetectedService> _services = [];

    // Only reasons a port's state does not imply (a filtered port the network rejected): few, if any.
    private readonly Dictionary<int, PortReason> _reasons = [];
    private readonly List<WorkerAttempt> _attempts = [];
    private readonly HashSet<int> _timedOutHosts = [];

    public Slice Slice { get; } = slice;
    public WorkList WorkList { get; } = work;
    public IReadOnlyList<WorkerAttempt> Attempts => _attempts;
    public WorkerAttempt? Current => _attempts.Count > 0 ? _attempts[^1] : null;
    public int? Pid => Current?.Pid;
    public int? ExitCode => Current?.ExitCode;
    public TimeSpan Elapsed => _attempts.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Elapsed);

    /// <summary>Why this slice has unscanned ports: the last attempt's failure, that the scan was stopped, or --host-timeout.</summary>
    public string? Failure => Unscanned == 0 ? null
        : Pending == 0 ? HostTimeoutReason
        : Current?.Failure ?? "the scan was stopped before they were scanned";

    /// <summary>Why the ports of a host given up are unscanned, in every report.</summary>
    public const string HostTimeoutReason = "host timeout";

    public int Open { get; private set; }
    public int Closed { get; private set; }
    public int Filtered { get; private set; }
    public int OpenFiltered { get; private set; }
    public int Finished => Open + Closed + Filtered + OpenFiltered;
    public int Unscanned => _states.Length - Finished;

    /// <summary>Unscanned ports that still want a worker: those of hosts given up (--host-timeout) are unscanned as asked.</summary>
    public int Pending => Unscanned == 0 || _timedOutHosts.Count == 0 ? Unscanned : PendingPositions().Count();

    /// <summary>Hosts (by index) given up by --host-timeout that this slice scans some of.</summary>
    public IReadOnlyCollection<int> TimedOutHosts => _timedOutHosts;

    /// <summary>A worker gave host <paramref name="host"/> up: its unscanned ports here stay so, and no replacement scans them.</summary>
    public void HostTimedOut(int host) => _timedOutHosts.Add(host);

    /// <summary>True when <paramref name="position"/> of the work list belongs to this slice.</summary>
    public bool Holds(int position) => Slice.Bounds.IndexOf(position) >= 0;

    /// <summary>True when some of host <paramref name="host"/>'s positions (host × ports, in order) belong to this slice.</summary>
    public bool CoversHost(int host)
    {
        var first = (long)host * WorkList.Ports.Count;
        return Slice.Bounds.Overlaps(first, first + WorkList.Ports.Count - 1);
    }

    public PortState StateAt(int position) => _states[Slice.Bounds.IndexOf(position)];

    public double? RttAt(int position) => _rttMs.TryGetValue(position, out var rtt) ? rtt : null;

    public string? BannerAt(int position) => _banners.GetValueOrDefault(position);

    public DetectedService? ServiceAt(int position) => _services.GetValueOrDefault(position);

    /// <summary>Why the port at <paramref name="position"/> is filtered, when it was rejected; null for its state's usual reason.</summary>
    public PortReason? ReasonAt(int position) => _reasons.TryGetValue(position, out var reason) ? reason : null;

    /// <summary>Starts a new attempt on every host-port still unscanned, but those of hosts given up.</summary>
    public WorkerAttempt NewAttempt()
    {
        var covers = new BitArray(_states.Length);
        foreach (var position in PendingPositions())
        {
            covers[Slice.Bounds.IndexOf(position)] = true;
        }
        var attempt = new WorkerAttempt(this, _attempts.Count + 1, PendingWork(), covers);
        _attempts.Add(attempt);
        return attempt;
    }

    /// <summary>
    /// Records a result; a host-port the attempt was not given, one reported twice, or a state its
    /// transport cannot have, is refused and never counted.
    /// </summary>
    public bool TryRecord(WorkerAttempt attempt, int host, PortResult result, out string problem)
    {
        var position = WorkList.PositionOf(host, result.Transport, result.Port);
        var index = position < 0 ? -1 : Slice.Bounds.IndexOf(position);
        if (index < 0 || !attempt.Covers[index])
        {
            problem = $"{WorkList.Hosts[host]} port {result.Name} is not one it was given ({attempt.Work})";
            return false;
        }
        ref var current = ref _states[index];
        if (current != PortState.Unscanned)
        {
            problem = $"{WorkList.Hosts[host]} port {result.Name} reported twice";
            return false;
        }
        if (result.State == PortState.OpenFiltered && result.Transport == Transport.Tcp)
        {
            problem = $"{WorkList.Hosts[host]} port {result.Name} reported open|filtered, which only UDP ports can be";
            return false;
        }
        current = result.State;
        switch (result.State)
        {
            case PortState.Open:
                Open++;
                _rttMs[position] = result.RttMs ?? 0;
                if (result.Banner is { } banner)
                {
                    _banners[position] = banner;
                }
                break;
            case PortState.Closed:
                Closed++;
                break;
            case PortState.OpenFiltered:
                OpenFiltered++;
                break;
            default:
                Filtered++;
                if (result.Reason.IsRejection())
                {
                    _reasons[position] = result.Reason;
                }
                break;
        }
        problem = "";
        return true;
    }

    /// <summary>
    /// Records what version detection found of a port: only of an open port the attempt itself
    /// reported (a replacement is never given a port already decided), and only once.
    /// </summary>
    public bool TryRecordService(WorkerAttempt attempt, int host, Transport transport, int port, DetectedService service, out string problem)
    {
        var position = WorkList.PositionOf(host, transport, port);
        var name = $"{WorkList.Hosts[host]} port {port}/{transport.ToWireName()}";
        if (position < 0 || !Holds(position) || !attempt.Covers[Slice.Bounds.IndexOf(position)])
        {
            problem = $"it sent the service of {name}, which is not one it was given ({attempt.Work})";
            return false;
        }
        if (_states[Slice.Bounds.IndexOf(position)] != PortState.Open)
        {
            problem = $"it sent the service of {name}, which it had not reported open";
            return false;
        }
        if (!_services.TryAdd(position, service))
        {
            problem = $"it sent the service of {name} twice";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>With -sV: how many open ports the attempt reported without sending their service.</summary>
    public int CountUnprobed(WorkerAttempt attempt)
    {
        var count = 0;
        for (var i = 0; i < _states.Length; i++)
        {
            if (attempt.Covers[i] && _states[i] == PortState.Open && !_services.ContainsKey(Slice.Bounds.Position(i)))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>How many of the attempt's host-ports have no result yet, but for those of hosts it gave up.</summary>
    public int CountUnscanned(WorkerAttempt attempt)
    {
        var count = 0;
        for (var i = 0; i < _states.Length; i++)
        {
            if (attempt.Covers[i] && _states[i] == PortState.Unscanned && !attempt.GaveUp(HostAt(Slice.Bounds.Position(i))))
            {
                count++;
            }
        }
        return count;
    }

    public WorkSet UnscannedWork() => WorkList.Select(UnscannedPositions());

    /// <summary>What a replacement worker is given: the unscanned host-ports of hosts not given up.</summary>
    public WorkSet PendingWork() => WorkList.Select(PendingPositions());

    private int HostAt(int position) => position / WorkList.Ports.Count;

    private IEnumerable<int> PendingPositions() => UnscannedPositions().Where(p => !_timedOutHosts.Contains(HostAt(p)));

    private IEnumerable<int> UnscannedPositions()
    {
        for (var i = 0; i < _states.Length; i++)
        {
            if (_states[i] == PortState.Unscanned)
            {
                yield return Slice.Bounds.Position(i);
            }
        }
    }
}
