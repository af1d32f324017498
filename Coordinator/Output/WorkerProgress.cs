using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using Spectre.Console;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Shows a scan while it runs: a progress bar per worker on a terminal, a plain line per finished
/// worker elsewhere. Bars are made from the slice plan before any worker starts, so every worker
/// is visible from the first moment. Under the dynamic schedule a worker's bar is its chunk in hand,
/// refilled with each chunk it takes.
/// </summary>
public sealed class WorkerProgress : IScanObserver
{
    private readonly IAnsiConsole _console;
    private readonly int _chunks;
    private readonly Dictionary<int, ProgressTask> _bars = [];
    private readonly Dictionary<int, Tally> _lanes = [];

    private WorkerProgress(IAnsiConsole console, int chunks) => (_console, _chunks) = (console, chunks);

    /// <summary>What a dynamic worker has done over all its chunks, for its line when it exits.</summary>
    private sealed class Tally
    {
        public int Chunks;
        public int Open;
        public int Closed;
        public int Filtered;
    }

    private bool Dynamic => _chunks > 0;

    public static async Task<ScanResult> RunAsync(IAnsiConsole console, bool interactive, ScanRequest request, Func<IScanObserver, Task<ScanResult>> scan)
    {
        var slices = SlicePlanner.Plan(request.Work, request.Workers, request.Schedule);
        var progress = new WorkerProgress(console, request.Schedule.Kind == ScheduleKind.Dynamic ? slices.Count : 0);
        if (!interactive)
        {
            return await scan(progress).ConfigureAwait(false);
        }
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                // A dynamic schedule's first chunks go to its workers in order: chunk i to worker i.
                foreach (var slice in slices.Take(request.Processes))
                {
                    progress._bars[slice.Worker] = context.AddTask(progress.Label(slice.Worker, slice), maxValue: slice.Bounds.Count);
                }
                return await scan(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private string Label(int worker, Slice slice) =>
        Dynamic ? $"worker {worker,3} chunk {slice.Worker + 1,3}/{_chunks} {Describe(slice),-11}" : $"worker {worker,3} {Describe(slice),-11}";

    /// <summary>The demo and the benchmark scan one host: its ports say enough.</summary>
    private static string Describe(Slice slice) =>
        slice.Work.Segments is [{ Hosts.Count: 1 } only] ? $"ports {only.Ports}" : slice.Work.ToString();

    public void WorkerStarted(WorkerAttempt attempt)
    {
        if (!Dynamic)
        {
            return;
        }
        var lane = Lane(attempt.WorkerId);
        lane.Chunks++;
        if (_bars.TryGetValue(attempt.WorkerId, out var bar) && lane.Chunks > 1)
        {
            bar.Description = Label(attempt.WorkerId, attempt.Slice.Slice);
            bar.MaxValue = attempt.Slice.Slice.Bounds.Count;
            bar.Value = attempt.Slice.Finished;
        }
    }

    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        // A slice's newest attempt is the one reporting.
        var worker = slice.Current?.WorkerId ?? slice.Slice.Worker;
        if (_bars.TryGetValue(worker, out var bar))
        {
            bar.Increment(1);
        }
        if (Dynamic)
        {
            var lane = Lane(worker);
            _ = port.State switch
            {
                PortState.Open => lane.Open++,
                PortState.Closed => lane.Closed++,
                _ => lane.Filtered++,
            };
        }
    }

    public void WorkerExited(WorkerAttempt attempt)
    {
        if (_bars.Count > 0)
        {
            return;
        }
        var slice = attempt.Slice;
        if (Dynamic)
        {
            var lane = Lane(attempt.WorkerId);
            _console.WriteLine(attempt.Failure is null
                ? $"  worker {attempt.WorkerId} took {Counted.Of(lane.Chunks, "chunk")} in {attempt.Run.Elapsed.TotalSeconds:0.00} s: {lane.Open} open, {lane.Closed} closed, {lane.Filtered} filtered"
                : $"  worker {attempt.WorkerId} failed on chunk {slice.Slice.Worker + 1} with {slice.Unscanned} ports left: {attempt.Failure}");
            return;
        }
        _console.WriteLine(slice.Unscanned == 0
            ? $"  worker {slice.Slice.Worker} ({Describe(slice.Slice)}) finished in {slice.Elapsed.TotalSeconds:0.00} s: {slice.Open} open, {slice.Closed} closed, {slice.Filtered} filtered"
            : $"  worker {slice.Slice.Worker} ({Describe(slice.Slice)}) attempt {attempt.Number} failed with {slice.Unscanned} ports left: {attempt.Failure}");
    }

    private Tally Lane(int worker) => _lanes.TryGetValue(worker, out var lane) ? lane : _lanes[worker] = new Tally();
}
