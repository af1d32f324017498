using System.Diagnostics;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// One worker's slice on the run's clock: launched, said hello (start-up over, scanning begins)
/// and exited for the last time (a replaced worker's lane runs to its replacement's exit).
/// <paramref name="Handoffs"/> are the moments it began each later attempt: the dynamic schedule's
/// next chunks, or a replacement.
/// </summary>
public sealed record TimelineLane(int Worker, TimeSpan Launched, TimeSpan Greeted, TimeSpan Finished, IReadOnlyList<TimeSpan>? Handoffs = null)
{
    public TimeSpan StartUp => Greeted;
    public TimeSpan Busy => Finished - Greeted;
}

/// <summary>A run's per-worker lanes and its wall time, all measured on the coordinator's clock from the moment the scan was started.</summary>
public sealed record WorkerTimeline(TimeSpan Wall, IReadOnlyList<TimelineLane> Lanes)
{
    /// <summary>Listens to a scan and turns what it hears into a timeline.</summary>
    public sealed class Recorder : IScanObserver
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly Dictionary<int, (long Launched, long? Greeted, long Exited)> _lanes = [];
        private readonly Dictionary<int, List<long>> _handoffs = [];

        public void WorkerStarted(WorkerAttempt attempt)
        {
            // Keyed by process lane: under the dynamic schedule one process starts many chunks.
            var worker = attempt.WorkerId;
            var now = Stopwatch.GetTimestamp();
            if (_lanes.ContainsKey(worker))
            {
                (_handoffs.TryGetValue(worker, out var list) ? list : _handoffs[worker] = []).Add(now);
                return;
            }
            _lanes[worker] = (now, null, now);
        }

        public void WorkerExited(WorkerAttempt attempt)
        {
            var worker = attempt.WorkerId;
            var lane = _lanes[worker];
            // The first hello of the slice ends its start-up; a replacement's start-up counts as scanning time lost.
            _lanes[worker] = (lane.Launched, lane.Greeted ?? attempt.GreetedAt, Stopwatch.GetTimestamp());
        }

        public WorkerTimeline Finish()
        {
            var wall = Stopwatch.GetElapsedTime(_start);
            TimeSpan At(long timestamp) => Stopwatch.GetElapsedTime(_start, timestamp);
            return new WorkerTimeline(wall, [.. _lanes.OrderBy(l => l.Key).Select(l =>
                new TimelineLane(l.Key, At(l.Value.Launched), At(l.Value.Greeted ?? l.Value.Exited), At(l.Value.Exited),
                    _handoffs.TryGetValue(l.Key, out var handoffs) ? [.. handoffs.Select(At)] : null))]);
        }
    }
}
