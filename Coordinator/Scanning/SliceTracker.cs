using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// The coordinator's record of one slice: the state of every port in it, so it always knows
/// exactly which ports are finished (and what a replacement worker still has to do), and every
/// worker process that worked on it.
/// </summary>
public sealed class SliceTracker(Slice slice)
{
    private readonly PortState[] _states = new PortState[slice.Ports.Count];
    private readonly Dictionary<int, double> _rttMs = [];
    private readonly List<WorkerAttempt> _attempts = [];

    public Slice Slice { get; } = slice;
    public IReadOnlyList<WorkerAttempt> Attempts => _attempts;
    public WorkerAttempt? Current => _attempts.Count > 0 ? _attempts[^1] : null;
    public int? Pid => Current?.Pid;
    public int? ExitCode => Current?.ExitCode;
    public TimeSpan Elapsed => _attempts.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Elapsed);

    /// <summary>Why this slice has unscanned ports: the last attempt's failure, or that the scan was stopped.</summary>
    public string? Failure => Unscanned == 0 ? null : Current?.Failure ?? "the scan was stopped before they were scanned";

    public int Open { get; private set; }
    public int Closed { get; private set; }
    public int Filtered { get; private set; }
    public int Finished => Open + Closed + Filtered;
    public int Unscanned => _states.Length - Finished;

    public PortState StateOf(int port) => _states[Slice.Ports.IndexOf(port)];

    public double? RttOf(int port) => _rttMs.TryGetValue(port, out var rtt) ? rtt : null;

    /// <summary>Starts a new attempt on every port still unscanned.</summary>
    public WorkerAttempt NewAttempt()
    {
        var attempt = new WorkerAttempt(this, _attempts.Count + 1, UnscannedPorts());
        _attempts.Add(attempt);
        return attempt;
    }

    /// <summary>Records a result; a port the attempt was not given, or one reported twice, is refused and never counted.</summary>
    public bool TryRecord(WorkerAttempt attempt, int port, PortState state, double rttMs, out string problem)
    {
        if (!attempt.Ports.Contains(port))
        {
            problem = $"port {port} is not one it was given ({attempt.Ports})";
            return false;
        }
        ref var current = ref _states[Slice.Ports.IndexOf(port)];
        if (current != PortState.Unscanned)
        {
            problem = $"port {port} reported twice";
            return false;
        }
        current = state;
        switch (state)
        {
            case PortState.Open:
                Open++;
                _rttMs[port] = rttMs;
                break;
            case PortState.Closed:
                Closed++;
                break;
            default:
                Filtered++;
                break;
        }
        problem = "";
        return true;
    }

    /// <summary>How many of <paramref name="ports"/> (an attempt's) have no result yet.</summary>
    public int CountUnscanned(PortSet ports) => ports.Ports().Count(p => StateOf(p) == PortState.Unscanned);

    public PortSet UnscannedPorts() => PortSet.Of(UnscannedRanges());

    private IEnumerable<PortRange> UnscannedRanges()
    {
        var index = 0;
        foreach (var port in Slice.Ports.Ports())
        {
            if (_states[index++] == PortState.Unscanned)
            {
                yield return new PortRange(port, port); // PortSet.Of merges neighbours back into ranges
            }
        }
    }
}
