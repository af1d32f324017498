using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Benchmarking;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Lab;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using Spectre.Console;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// <c>portscan demo</c>: the teaching run. A lab target where timeouts dominate, scanned the way
/// the original article did (one blocking connect at a time) with one worker and with N, then
/// with the asynchronous engine; times, speedups, efficiency and a chart, all checked against the
/// ports the lab planted.
/// </summary>
internal sealed class DemoCommand : Command
{
    private readonly Option<int> _workers = OptionFactory.Count("--workers", "-w", 2, 64, () => 8, "Workers for the parallel article-mode run");
    private readonly Option<TimeSpan> _timeout = OptionFactory.Duration("--timeout", TimeSpan.FromMilliseconds(200), "Per-connect timeout: what each filtered port costs");
    private readonly Option<int> _open = OptionFactory.Count("--open", null, 1, 100, () => 2, "Open ports in the lab");
    // Half the lab filtered, in one run after the rest, as behind a real firewall: the block schedule's
    // slices on that run take all the time, which the cyclic run then shares out.
    private readonly Option<int> _closed = OptionFactory.Count("--closed", null, 0, 1000, () => 30, "Closed ports in the lab");
    private readonly Option<int> _filtered = OptionFactory.Count("--filtered", null, 1, 1000, () => 32, "Filtered ports in the lab (one run, after the open and closed ones)");
    private readonly Option<string?> _svg = new("--svg") { Description = "Draw every run's per-worker timeline to FILE (.svg)", HelpName = "FILE" };

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Show why parallelism pays: scan a lab target one connect at a time with 1 and N workers, then with the async engine";

    public DemoCommand()
        : base("demo", Summary)
    {
        Add(_workers);
        Add(_timeout);
        Add(_open);
        Add(_closed);
        Add(_filtered);
        Add(_svg);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var announce = StopSignals.Announce(parse.InvocationConfiguration.Error, "stopping the demo and its lab", cancellationToken);
        var workers = parse.GetValue(_workers);
        var svg = parse.GetValue(_svg);
        BenchCommand.CheckWritable(svg, ".svg");
        var timeout = parse.GetValue(_timeout);
        var timeoutMs = (int)timeout.TotalMilliseconds;
        var console = TerminalConsole.Create(parse.InvocationConfiguration.Output, out var interactive);
        using var loggers = ConsoleLogging.Create(LogLevel.Warning);
        var runner = new TrialRunner(WorkerCommand.NextToCoordinator(), loggers.CreateLogger("portscan"), console, interactive);

        await using var lab = LabTarget.Start(IPAddress.Loopback, parse.GetValue(_open), parse.GetValue(_closed), parse.GetValue(_filtered));
        var target = new ResolvedTarget(lab.Address.ToString(), lab.Address);
        var filtered = lab.Filtered!.Value.Count;

        console.Write(new Rule("[bold]portscan demo: why parallelism pays[/]").LeftJustified());
        console.WriteLine($"Lab target on {lab.Address}: open {lab.Open}, closed {(lab.Closed?.ToString() ?? "none")}, filtered {lab.Filtered}.");
        console.WriteLine($"A filtered port never answers, so each connect to one waits the whole {timeout.TotalMilliseconds:0} ms timeout.");
        console.WriteLine($"One connect at a time, one worker needs about {filtered} x {timeout.TotalSeconds:0.###} s = {filtered * timeout.TotalSeconds:0.0} s.");
        // Every run gets the article's timing, even the async engine (whose scans adapt the timeout
        // by default), so that the runs differ in their parallelism only.
        console.WriteLine($"Timing: {TimingDescription.Of(ProbeSettings.Fixed(timeoutMs, 1))} (the article's), in every run, so that only the parallelism differs.");
        console.WriteLine();
        console.WriteLine($"The range is split into one contiguous slice per worker ({Counted.Of(workers, "worker")}):");
        PlanCommand.Write(parse.InvocationConfiguration.Output, PortSelection.OfTcp(PortSet.Of(lab.Ports)), workers, Schedule.Block);
        console.WriteLine();

        var plan = new (string Label, int Workers, int Concurrency, Schedule Schedule)[]
        {
            ("article mode, 1 worker", 1, 1, Schedule.Block),
            ($"article mode, {Counted.Of(workers, "worker")}", workers, 1, Schedule.Block),
            ($"article mode, {Counted.Of(workers, "worker")}, dealt round-robin", workers, 1, Schedule.Cyclic),
            ($"article mode, {Counted.Of(workers, "worker")}, chunks on request", workers, 1, Schedule.Dynamic()),
            ($"async engine, {Counted.Of(ScanDefaults.Workers, "worker")}", ScanDefaults.Workers, ScanDefaults.Concurrency, Schedule.Block),
        };
        console.WriteLine($"After each run, its timeline: {TimelineChart.Legend}.");
        var trials = new List<Trial>();
        foreach (var (label, runWorkers, concurrency, schedule) in plan)
        {
            // No more connects can be in flight than a slice has ports.
            var inFlight = Math.Min(concurrency, (lab.Ports.Count + runWorkers - 1) / runWorkers);
            console.MarkupLine($"[bold]Run {trials.Count + 1}/{plan.Length}: {label}[/] (up to {inFlight} connect{(inFlight == 1 ? "" : "s")} in flight per worker)");
            if (schedule == Schedule.Cyclic)
            {
                console.WriteLine($"The same ports dealt round-robin (--schedule cyclic, OpenMP's schedule(static,1)): worker i takes ports i, i + {runWorkers}, i + {2 * runWorkers}, … so every worker gets a share of the filtered run.");
                PlanCommand.Write(parse.InvocationConfiguration.Output, PortSelection.OfTcp(PortSet.Of(lab.Ports)), runWorkers, schedule);
            }
            else if (schedule.Kind == ScheduleKind.Dynamic)
            {
                var chunk = schedule.ChunkFor(lab.Ports.Count, runWorkers);
                console.WriteLine($"The same ports in chunks of {Counted.Of(chunk, "port")} (--schedule dynamic, OpenMP's schedule(dynamic,{chunk}), the threaded scanner's queue across processes): "
                    + "each worker starts with one chunk and, when it is done, asks the coordinator on its stdin for the next, so a worker that drew filtered ports simply takes fewer.");
            }
            var trial = await runner.RunAsync(label, target, PortSet.Of(lab.Ports), runWorkers, ProbeSettings.Fixed(timeoutMs, concurrency), schedule, 1, cancellationToken).ConfigureAwait(false);
            if (!trial.Result.Complete)
            {
                console.WriteLine("The demo was interrupted.");
                return trial.Result.Interrupted ? ExitCodes.Interrupted : ExitCodes.ScanFailed;
            }
            trials.Add(trial);
            console.WriteLine($"  {trial.Seconds:0.00} s: {Verdict(trial, lab)}");
            trial.Explain(console);
        }

        console.WriteLine();
        console.Write(Table(trials, lab));
        ScaledBarChart.Write(console, "Seconds for the same scan (shorter is better), to scale:",
            [.. trials.Select(t => new ScaledBar(t.Label, t.Seconds, ScaledBarChart.Format(t.Seconds, " s"), t.Concurrency == 1 ? Color.Orange1 : Color.Green))]);
        console.WriteLine();
        console.WriteLine(Closing(trials, workers, parse.GetValue(_closed), parse.GetValue(_filtered)));
        if (svg is not null)
        {
            AtomicFile.Write(svg, writer => writer.Write(TimelineSvg.Draw(trials, $"portscan demo: every run's workers, {lab.Ports.Count} ports, timeout {timeoutMs} ms")));
            console.WriteLine($"Timelines written to {svg}");
        }

        return trials.All(t => t.Mismatches(lab.ExpectedState).Count == 0) ? ExitCodes.Success : ExitCodes.ScanFailed;
    }

    /// <summary>The closing lesson, every number in it from this run; <paramref name="closed"/> and <paramref name="filtered"/> are the lab's, for the next run it suggests.</summary>
    private static string Closing(List<Trial> trials, int workers, int closed, int filtered)
    {
        var (one, block, cyclic, dynamic, engine) = (trials[0], trials[1], trials[2], trials[3], trials[4]);
        static double Ratio(double a, double b) => b > 0 ? a / b : 0;
        var (blockTime, cyclicTime, dynamicTime) = (RunTimeDecomposition.Of(block.Timeline), RunTimeDecomposition.Of(cyclic.Timeline), RunTimeDecomposition.Of(dynamic.Timeline));
        string Shared(Trial trial, RunTimeDecomposition time) =>
            $"{Ratio(one.Seconds, trial.Seconds):0.0}x ({100 * Ratio(one.Seconds, trial.Seconds) / trial.Workers:0} % of {trial.Workers}x; imbalance {time.Imbalance.TotalSeconds:0.00} s, start-up {time.StartUp.TotalSeconds:0.00} s)";
        return $"{workers} processes waited on {workers} timeouts at once: {Ratio(one.Seconds, block.Seconds):0.0}x faster than 1 worker, "
            + $"not {workers}x: the filtered ports sit in one run, so some contiguous slices held none and finished early "
            + $"(imbalance {blockTime.Imbalance.TotalSeconds:0.00} s), and starting {workers} processes took {blockTime.StartUp.TotalSeconds:0.00} s. "
            + $"Dealt round-robin, every worker got a share of them: {Shared(cyclic, cyclicTime)}. "
            + $"Handed out in chunks on request, each worker took what it could: {Shared(dynamic, dynamicTime)}. "
            + (dynamicTime.StartUp > dynamicTime.Imbalance && cyclicTime.StartUp > cyclicTime.Imbalance
                ? $"What is left between them and {workers}x is mostly start-up, which no schedule can share out; it does not grow with the work, "
                    + $"so to see the schedules with start-up small beside it, give the lab ten times the ports: {SelfCommand.Prefix} demo --closed {Math.Min(1000, closed * 10)} --filtered {Math.Min(1000, filtered * 10)}. "
                : $"What is left between them and {workers}x is still mostly imbalance. ")
            + $"The async engine's {Counted.Of(engine.Workers, "process", "processes")} each kept up to {InFlight(engine)} connects in flight "
            + $"(its slices hold at most {engine.Result.Slices.Max(s => s.Slice.Bounds.Count)} ports): {Ratio(one.Seconds, engine.Seconds):0.0}x faster than 1 worker.";
    }

    /// <summary>The most connects a worker of the run could have in flight: a worker cannot exceed its slice's ports.</summary>
    private static int InFlight(Trial trial) => Math.Min(trial.Concurrency, trial.Result.Slices.Max(s => s.Slice.Bounds.Count));

    private static string Verdict(Trial trial, LabTarget lab)
    {
        var s = trial.Result.Summary;
        var wrong = trial.Mismatches(lab.ExpectedState);
        return $"{s.Open} open, {s.Closed} closed, {s.Filtered} filtered: "
            + (wrong.Count == 0 ? "exactly the ports the lab planted" : $"WRONG on {Counted.Of(wrong.Count, "port")} ({string.Join(",", wrong.Take(10))})");
    }

    private static Table Table(List<Trial> trials, LabTarget lab)
    {
        var table = new Table().AddColumns("run", "workers", "in flight", "seconds", "speedup", "efficiency", "correct");
        var baseline = trials[0].Seconds;
        foreach (var trial in trials)
        {
            var speedup = trial.Seconds > 0 ? baseline / trial.Seconds : 0;
            // Efficiency (speedup per worker) describes article mode; the async engine's gain is not from processes.
            var efficiency = trial.Concurrency == 1 ? $"{speedup / trial.Workers:P0}" : "-";
            // Article mode's runs by schedule, short enough for 80 columns: "article" alone is the one-worker baseline.
            table.AddRow(
                trial.Concurrency > 1 ? "async" : trial.Workers == 1 ? "article" : trial.Result.Request.Schedule.Kind.ToString().ToLowerInvariant(), $"{trial.Workers}", $"{InFlight(trial)}", $"{trial.Seconds:0.00}",
                $"{speedup:0.0}x", efficiency, trial.Mismatches(lab.ExpectedState).Count == 0 ? "yes" : "NO");
        }
        return table;
    }
}
