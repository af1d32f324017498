using System.CommandLine;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan plan [TARGETS]</c>: the slice table a scan would use, and where each slice would run, without scanning.</summary>
internal sealed class PlanCommand : Command
{
    private readonly Argument<string[]> _targets = new("targets")
    {
        HelpName = "TARGET",
        Description = "Optional targets: plan their hosts × ports (resolved, not scanned)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly PortOptions _ports = new();
    private readonly LaunchOptions _launch = new();

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Print how the ports (of each target) are split into one contiguous slice per worker, without scanning";

    public PlanCommand()
        : base("plan", Summary)
    {
        UnknownOptions.RejectIn(_targets);
        Add(_targets);
        _ports.AddTo(this);
        _launch.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var ports = _ports.Ports(parse);
            var launch = _launch.Settings(parse);
            using var loggers = ConsoleLogging.Create(LogLevel.Warning, parse.InvocationConfiguration.Error.WriteLine);
            var launcher = await launch.CreateAsync(WorkerCommand.NextToCoordinator(), loggers.CreateLogger("portscan"), null, cancellationToken).ConfigureAwait(false);
            var workers = parse.GetValue(_ports.Workers) ?? launcher.Cpus;
            var schedule = parse.GetValue(_ports.Schedule) ?? Schedule.Block;
            var targets = parse.GetValue(_targets) ?? [];
            int slices;
            if (targets.Length == 0)
            {
                slices = Write(output, ports, workers, schedule);
            }
            else
            {
                var hosts = await TargetResolver.ResolveAllAsync(targets, [], null, cancellationToken).ConfigureAwait(false);
                if (WorkList.TooMany(hosts.Count, ports.Count) is { } tooMany)
                {
                    throw new UsageException(tooMany);
                }
                slices = Write(output, new WorkList([.. hosts.Select(h => h.Address)], ports), workers, schedule);
            }
            if (launch.Kind != LaunchKind.Local)
            {
                WritePlacement(output, launcher, slices);
            }
            return 0;
        });
    }

    /// <summary>
    /// Where each slice's attempts would run: the first, then each replacement a failure would
    /// start (--max-worker-restarts' default), as the launcher places them.
    /// </summary>
    private static void WritePlacement(TextWriter output, IWorkerLauncher launcher, int slices)
    {
        output.WriteLine();
        output.WriteLine(launcher.Placement);
        var attempts = 1 + ScanDefaults.MaxWorkerRestarts;
        if (launcher.HostFor(0, 1) is null)
        {
            return;
        }
        output.WriteLine(string.Join("  ", [$"{"WORKER",6}", .. Enumerable.Range(1, attempts).Select(a => a == 1 ? "FIRST ATTEMPT" : $"REPLACEMENT {a - 1}")]));
        for (var slice = 0; slice < slices; slice++)
        {
            var hosts = Enumerable.Range(1, attempts).Select(a => launcher.HostFor(slice, a)!);
            output.WriteLine(string.Join("  ", [$"{slice,6}", .. hosts.Select(h => $"{h,-13}")]).TrimEnd());
        }
    }

    /// <summary>One host's ports: the table the original article draws (a port list with UDP is a table of positions). Returns the number of slices.</summary>
    public static int Write(TextWriter output, PortSelection selection, int workers, Schedule schedule)
    {
        if (!selection.Udp.IsEmpty)
        {
            return Write(output, new WorkList([System.Net.IPAddress.Loopback], selection), workers, schedule);
        }
        var ports = selection.Tcp;
        var total = ports.Count;
        CheckSchedule(schedule, total, workers);
        var slices = SlicePlanner.Plan(total, workers, schedule);
        var what = total == ports.Last - ports.First + 1 ? $"Ports {new PortRange(ports.First, ports.Last)}" : "The ports, in ascending order";
        WriteArithmetic(output, what, "ports", total, workers, schedule);
        output.WriteLine($"{Column(schedule),6}  {"FIRST",5}  {"LAST",5}  {"PORTS",5}  SLICE");
        foreach (var bounds in slices)
        {
            var slice = bounds.Stride == 1 ? ports.Take(bounds.Start, bounds.Count)
                : PortSet.Of(bounds.Positions().Select(position => new PortRange(ports.At(position), ports.At(position))));
            output.WriteLine($"{bounds.Worker,6}  {slice.First,5}  {slice.Last,5}  {slice.Count,5}  {slice.Describe()}");
        }
        return SlicePlanner.Workers(total, workers, schedule);
    }

    /// <summary>Several hosts: positions run host by host, so a slice may end in the middle of one host's ports.</summary>
    private static int Write(TextWriter output, WorkList work, int workers, Schedule schedule)
    {
        CheckSchedule(schedule, work.Count, workers);
        var slices = SlicePlanner.Plan(work, workers, schedule);
        WriteArithmetic(output, $"{Counted.Of(work.Hosts.Count, "host")} × {Counted.Of(work.Ports.Count, "port")}", "host-ports", work.Count, workers, schedule);
        output.WriteLine($"{Column(schedule),6}  {"START",9}  {"END",9}  {"COUNT",9}  WORK");
        foreach (var slice in slices)
        {
            output.WriteLine($"{slice.Worker,6}  {slice.Bounds.Start,9}  {slice.Bounds.End,9}  {slice.Bounds.Count,9}  {slice.Work}");
        }
        return SlicePlanner.Workers(work.Count, workers, schedule);
    }

    private static void CheckSchedule(Schedule schedule, int total, int workers)
    {
        if (schedule.Problem(total, workers) is { } problem)
        {
            throw new UsageException(problem);
        }
    }

    /// <summary>A dynamic schedule's rows are chunks, which go to whichever worker asks first.</summary>
    private static string Column(Schedule schedule) => schedule.Kind == ScheduleKind.Dynamic ? "CHUNK" : "WORKER";

    private static void WriteArithmetic(TextWriter output, string what, string unit, int total, int workersAsked, Schedule schedule)
    {
        var workers = Math.Min(workersAsked, total);
        if (schedule.Kind == ScheduleKind.Dynamic)
        {
            var chunk = schedule.ChunkFor(total, workers);
            var chunks = SlicePlanner.Chunks(total, workers, schedule);
            var lanes = SlicePlanner.Workers(total, workers, schedule);
            output.WriteLine($"{what}: {total} {unit} in {Counted.Of(chunks, "chunk")} of {chunk}"
                + (schedule.Chunk > 0 ? "" : $" ({total} / ({workers} × {Schedule.DefaultChunksPerWorker}), rounded up)")
                + (chunk == 1 ? ", chunk c = position c" : $", chunk c = positions c × {chunk} to c × {chunk} + {chunk - 1}")
                + $"; {Counted.Of(lanes, "worker")} each start with one and ask for the next as they finish.");
            return;
        }
        if (schedule == Schedule.Cyclic && workers > 1)
        {
            var more = total % workers;
            output.WriteLine($"{what}: {total} {unit} over {Counted.Of(workers, "worker")}, dealt round-robin: worker i takes positions i, i + {workers}, i + {2 * workers}, …; "
                + (more == 0 ? $"{total / workers} each."
                    : more == 1 ? $"worker 0 takes {(total / workers) + 1}, the others {total / workers}."
                    : $"the first {more} take {(total / workers) + 1}, the others {total / workers}."));
            return;
        }
        var per = total / workers;
        output.WriteLine($"{what}: {total} {unit} over {Counted.Of(workers, "worker")}, {total} / {workers} = {per} each; the last also takes the remainder of {total - (per * workers)}.");
    }
}
