using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Benchmarking;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Lab;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using Spectre.Console;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// <c>portscan bench TARGET</c> or <c>portscan bench --lab</c>: the same scan with several worker
/// counts, repeated, reported as median time, speedup and efficiency. Every run's open ports must
/// equal the first run's, or the benchmark says so and fails.
/// </summary>
internal sealed class BenchCommand : Command
{
    private readonly Argument<string?> _target = new("target") { Description = "Host to benchmark against (or --lab)", Arity = ArgumentArity.ZeroOrOne, HelpName = "TARGET" };
    private readonly Option<bool> _lab = new("--lab") { Description = "Benchmark against a lab target started for the run" };
    private readonly Option<int[]> _workers = new("--workers", "-w")
    {
        Description = "Worker counts to compare, comma-separated",
        HelpName = "LIST",
        DefaultValueFactory = _ => [1, 2, 4, 8, 16],
        CustomParser = ParseWorkerList,
    };
    private readonly Option<Schedule> _schedule = PortOptions.ScheduleOption();
    private readonly Option<int> _repeat = OptionFactory.Count("--repeat", "-r", 1, 100, () => 3, "Runs per worker count; the median is reported");
    private readonly Option<int> _concurrency = OptionFactory.Count("--concurrency", "-c", 1, 65535, () => ScanDefaults.Concurrency,
        "Connects in flight per worker: 1 for the article's design, the default for the async engine");
    private readonly Option<TimeSpan> _timeout = OptionFactory.Duration("--timeout", TimeSpan.FromSeconds(1),
        "Per-connect timeout, fixed as in the original article: every probe waits exactly this long, once");
    private readonly Option<int> _start = OptionFactory.Port("--start-port", 1, "First port (default: the lab's first port, or 1)");
    private readonly Option<int> _end = OptionFactory.Port("--end-port", 65535, "Last port (default: the lab's last port, or 65535)");
    private readonly Option<int> _open = OptionFactory.Count("--open", null, 0, 65535, () => 2, "Lab: open ports");
    private readonly Option<int> _closed = OptionFactory.Count("--closed", null, 0, 65535, () => 8, "Lab: closed ports");
    private readonly Option<int> _filtered = OptionFactory.Count("--filtered", null, 0, 65535, () => 54, "Lab: filtered ports");
    private readonly Option<string?> _report = new("--report") { Description = "Write the raw runs and the table to FILE (.json or .csv)", HelpName = "FILE" };
    private readonly Option<string?> _svg = new("--svg") { Description = "Draw speedup against worker count, with the ideal line and Amdahl's prediction, to FILE, and every run's timeline to FILE-timelines.svg", HelpName = "FILE" };

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Compare scan times across worker counts: median seconds, ports/s, speedup and efficiency";

    public BenchCommand()
        : base("bench", Summary)
    {
        UnknownOptions.RejectIn(_target);
        Add(_target);
        foreach (var option in new Option[] { _lab, _workers, _schedule, _repeat, _concurrency, _timeout, _start, _end, _open, _closed, _filtered, _report, _svg })
        {
            Add(option);
        }
        Validators.Add(result =>
        {
            var hasTarget = result.GetValue(_target) is not null;
            if (hasTarget == result.GetValue(_lab))
            {
                result.AddError("give either a TARGET or --lab");
            }
        });
        SetAction(RunAsync);
    }

    private static int[] ParseWorkerList(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = string.Join(',', result.Tokens.Select(t => t.Value));
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ScanDefaults.MaxWorkers)
            {
                result.AddError($"--workers '{part}' must be whole numbers from 1 to {ScanDefaults.MaxWorkers}, comma-separated");
                return [];
            }
            counts.Add(count);
        }
        if (counts.Count == 0)
        {
            result.AddError("--workers needs at least one worker count");
        }
        return [.. counts.Distinct()];
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var announce = StopSignals.Announce(parse.InvocationConfiguration.Error, "stopping the benchmark", cancellationToken);
        var report = parse.GetValue(_report);
        var svg = parse.GetValue(_svg);
        CheckWritable(report, ".json", ".csv");
        CheckWritable(svg, ".svg");

        await using var lab = parse.GetValue(_lab)
            ? LabTarget.Start(IPAddress.Loopback, parse.GetValue(_open), parse.GetValue(_closed), parse.GetValue(_filtered))
            : null;
        var target = lab is not null
            ? new ResolvedTarget(lab.Address.ToString(), lab.Address)
            : await TargetResolver.ResolveAsync(parse.GetValue(_target)!, cancellationToken).ConfigureAwait(false);
        // A port option left at its default has an implicit result: then the lab's own range applies.
        var start = parse.GetResult(_start) is { Implicit: false } || lab is null ? parse.GetValue(_start) : lab.Ports.Start;
        var end = parse.GetResult(_end) is { Implicit: false } || lab is null ? parse.GetValue(_end) : lab.Ports.End;
        if (!Shared.Ports.PortRange.TryCreate(start, end, out var ports, out var error))
        {
            throw new UsageException(error);
        }
        if (lab is not null && (!lab.Ports.Contains(ports.Start) || !lab.Ports.Contains(ports.End)))
        {
            // Only ports the lab owns: the rest of loopback belongs to other programs.
            throw new UsageException($"with --lab the ports must lie within the lab's {lab.Ports}");
        }

        var console = TerminalConsole.Create(parse.InvocationConfiguration.Output, out var interactive);
        using var loggers = ConsoleLogging.Create(LogLevel.Warning);
        var runner = new TrialRunner(WorkerCommand.NextToCoordinator(), loggers.CreateLogger("portscan"), console, interactive);
        var workerCounts = parse.GetValue(_workers)!;
        var schedule = parse.GetValue(_schedule) ?? Schedule.Block;
        if (workerCounts.Select(w => schedule.Problem(ports.Count, w)).OfType<string>().FirstOrDefault() is { } problem)
        {
            throw new UsageException(problem);
        }
        var repeat = parse.GetValue(_repeat);
        var concurrency = parse.GetValue(_concurrency);
        var timeout = parse.GetValue(_timeout);
        // The article's timing: a run's time then depends on the workers and the target, never on how a timeout adapted.
        var probes = ProbeSettings.Fixed((int)timeout.TotalMilliseconds, concurrency);
        var startedAt = DateTimeOffset.Now;

        console.WriteLine($"Benchmark: {target.Name}, ports {ports} ({ports.Count}), {TimingDescription.Of(probes)} (the article's), {concurrency} connect(s) in flight per worker, {repeat} run(s) per worker count{(schedule.Described is { Length: > 0 } dealt ? $", {dealt}" : "")}");
        console.WriteLine($"After each run, its timeline: {TimelineChart.Legend}.");
        var trials = new List<Trial>();
        var consistent = true;
        foreach (var workers in workerCounts)
        {
            for (var run = 1; run <= repeat; run++)
            {
                var trial = await runner.RunAsync(Counted.Of(workers, "worker"), target, Shared.Ports.PortSet.Of(ports), workers, probes, schedule, run, cancellationToken).ConfigureAwait(false);
                if (trial.Result.Interrupted)
                {
                    return ExitCodes.Interrupted;
                }
                var same = trials.Count == 0 || trial.OpenPorts.SetEquals(trials[0].OpenPorts);
                var planted = lab is null || trial.Mismatches(lab.ExpectedState).Count == 0;
                consistent &= same && planted && trial.Result.Complete;
                trials.Add(trial);
                console.WriteLine($"  {Counted.Of(trial.Workers, "worker"),11}, run {run}: {trial.Seconds,8:0.000} s, {trial.Result.Summary.Open} open"
                    + (trials.Count == 1 ? " (the reference open set)" : same ? ", same open ports as the first run" : ", DIFFERENT open ports from the first run")
                    + (planted ? "" : ", NOT the lab's planted states")
                    + (trial.Result.Complete ? "" : $", {Counted.Of(trial.Result.Summary.Unscanned, "port")} unscanned"));
                trial.Explain(console);
            }
        }

        var rows = SpeedupRow.From(trials);
        var table = new Table().AddColumns("workers", "median s", "min-max s", "ports/s", $"speedup vs {rows[0].Workers}", "efficiency");
        foreach (var row in rows)
        {
            table.AddRow($"{row.Workers}", $"{row.MedianSeconds:0.000}", $"{row.MinSeconds:0.000}-{row.MaxSeconds:0.000}", $"{row.PortsPerSecond:#,0}", $"{row.Speedup:0.00}x", $"{row.Efficiency:P0}");
        }
        console.Write(table);
        ScaledBarChart.Write(console, $"Speedup over {Counted.Of(rows[0].Workers, "worker")} (ideal: proportional to workers), to scale:",
            [.. rows.Select(r => new ScaledBar(Counted.Of(r.Workers, "worker"), r.Speedup, ScaledBarChart.Format(r.Speedup, "x"), Color.Green))]);
        var fit = AmdahlFit.Of(rows);
        if (fit is not null)
        {
            console.WriteLine($"Amdahl's law: a serial fraction of {fit.SerialFraction:P1} explains these medians best (least squares); "
                + $"it predicts {string.Join(", ", rows.Select(r => $"{fit.PredictedSpeedup(r.Workers):0.00}x at {r.Workers}"))}, and at most {fit.Limit:0.0}x with any number of workers.");
        }
        console.WriteLine(consistent ? "Every run found the same open ports." : "Runs disagreed or were incomplete: see above.");

        if (report is not null)
        {
            var document = BenchReport.From(startedAt, target.Name, trials, rows, repeat);
            AtomicFile.Write(report, writer => document.Write(writer, report));
            console.WriteLine($"Report written to {report}");
        }
        if (svg is not null)
        {
            AtomicFile.Write(svg, writer => writer.Write(SpeedupSvg.Draw(rows, fit, $"portscan: {ports.Count} ports, timeout {timeout.TotalMilliseconds:0} ms, concurrency {concurrency}")));
            // The timelines go next to the speedup chart: one picture per question.
            var timelines = Path.ChangeExtension(svg, null) + "-timelines.svg";
            AtomicFile.Write(timelines, writer => writer.Write(TimelineSvg.Draw(trials, $"portscan bench: every run's workers, {ports.Count} ports, timeout {timeout.TotalMilliseconds:0} ms, concurrency {concurrency}")));
            console.WriteLine($"Chart written to {svg}, timelines to {timelines}");
        }
        return consistent ? ExitCodes.Success : ExitCodes.ScanFailed;
    }

    /// <summary>Refuses, before any scan, an output path with the wrong extension or no directory (demo uses it too).</summary>
    internal static void CheckWritable(string? path, params string[] extensions)
    {
        if (path is null)
        {
            return;
        }
        if (!extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            throw new UsageException($"'{path}' must end in {string.Join(" or ", extensions)}");
        }
        if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
        {
            throw new UsageException($"cannot write '{path}': its directory does not exist");
        }
    }
}
