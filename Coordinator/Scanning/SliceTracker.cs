using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// The coordinator's record of one slice: the state of every port in it, so it always knows
/// exactly which ports are finished, and what became of the worker that scanned it.
/// </summary>
public sealed class SliceTracker(Slice slice)
{
    private readonly PortState[] _states = new PortState[slice.Ports.Count];
    private readonly Dictionary<int, double> _rttMs = [];

    public Slice Slice { get; } = slice;
    public int? Pid { get; set; }
    public int? ExitCode { get; set; }
    public TimeSpan Elapsed { get; set; }

    /// <summary>Why this slice has unscanned ports, in the worker's or the launcher's words.</summary>
    public string? Failure { get; set; }

    public int Open { get; private set; }
    public int Closed { get; private set; }
    public int Filtered { get; private set; }
    public int Finished => Open + Closed + Filtered;
    public int Unscanned => _states.Length - Finished;

    public PortState StateOf(int port) => _states[port - Slice.Ports.Start];

    public double? RttOf(int port) => _rttMs.TryGetValue(port, out var rtt) ? rtt : null;

    /// <summary>Records a result; a port outside the slice or reported twice is refused, never counted.</summary>
    public bool TryRecord(int port, PortState state, double rttMs, out string problem)
    {
        if (!Slice.Ports.Contains(port))
        {
            problem = $"port {port} is outside its slice {Slice.Ports}";
            return false;
        }
        ref var current = ref _states[port - Slice.Ports.Start];
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

    /// <summary>The unscanned ports as ranges, for messages a person reads.</summary>
    public IEnumerable<PortRange> UnscannedRanges()
    {
        var start = -1;
        for (var i = 0; i <= _states.Length; i++)
        {
            var unscanned = i < _states.Length && _states[i] == PortState.Unscanned;
            if (unscanned && start < 0)
            {
                start = i;
            }
            else if (!unscanned && start >= 0)
            {
                yield return new PortRange(Slice.Ports.Start + start, Slice.Ports.Start + i - 1);
                start = -1;
            }
        }
    }
}
