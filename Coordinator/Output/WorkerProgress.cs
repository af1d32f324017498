using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using Spectre.Console;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Shows a scan while it runs: a progress bar per worker on a terminal, a plain line per finished
/// worker elsewhere. Bars are made from the slice plan before any worker starts, so every worker
/// is visible from the first moment.
/// </summary>
public sealed class WorkerProgress : IScanObserver
{
    private readonly IAnsiConsole _console;
    private readonly Dictionary<int, ProgressTask> _bars = [];

    private WorkerProgress(IAnsiConsole console) => _console = console;

    public static async Task<ScanResult> RunAsync(IAnsiConsole console, bool interactive, IReadOnlyList<Slice> slices, Func<IScanObserver, Task<ScanResult>> scan)
    {
        var progress = new WorkerProgress(console);
        if (!interactive)
        {
            return await scan(progress).ConfigureAwait(false);
        }
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                foreach (var slice in slices)
                {
                    progress._bars[slice.Worker] = context.AddTask($"worker {slice.Worker,3} {Describe(slice),-11}", maxValue: slice.Bounds.Count);
                }
                return await scan(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>The demo and the benchmark scan one host: its ports say enough.</summary>
    private static string Describe(Slice slice) =>
        slice.Work.Segments is [{ Hosts.Count: 1 } only] ? $"ports {only.Ports}" : slice.Work.ToString();

    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (_bars.TryGetValue(slice.Slice.Worker, out var bar))
        {
            bar.Increment(1);
        }
    }

    public void WorkerExited(WorkerAttempt attempt)
    {
        var slice = attempt.Slice;
        if (_bars.Count > 0)
        {
            return;
        }
        _console.WriteLine(slice.Unscanned == 0
            ? $"  worker {slice.Slice.Worker} ({Describe(slice.Slice)}) finished in {slice.Elapsed.TotalSeconds:0.00} s: {slice.Open} open, {slice.Closed} closed, {slice.Filtered} filtered"
            : $"  worker {slice.Slice.Worker} ({Describe(slice.Slice)}) attempt {attempt.Number} failed with {slice.Unscanned} ports left: {attempt.Failure}");
    }
}
