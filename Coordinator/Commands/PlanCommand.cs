using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan plan [TARGETS]</c>: the slice table a scan would use, without scanning.</summary>
internal sealed class PlanCommand : Command
{
    private readonly Argument<string[]> _targets = new("targets")
    {
        HelpName = "TARGET",
        Description = "Optional targets: plan their hosts × ports (resolved, not scanned)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly PortOptions _ports = new();

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Print how the ports (of each target) are split into one contiguous slice per worker, without scanning";

    public PlanCommand()
        : base("plan", Summary)
    {
        UnknownOptions.RejectIn(_targets);
        Add(_targets);
        _ports.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var ports = _ports.Ports(parse);
            var workers = parse.GetValue(_ports.Workers);
            var targets = parse.GetValue(_targets) ?? [];
            if (targets.Length == 0)
            {
                Write(output, ports, workers);
                return 0;
            }
            var hosts = await TargetResolver.ResolveAllAsync(targets, [], null, cancellationToken).ConfigureAwait(false);
            Write(output, new WorkList([.. hosts.Select(h => h.Address)], ports), workers);
            return 0;
        });
    }

    /// <summary>One host's ports: the table the original article draws (a port list with UDP is a table of positions).</summary>
    public static void Write(TextWriter output, PortSelection selection, int workers)
    {
        if (!selection.Udp.IsEmpty)
        {
            Write(output, new WorkList([System.Net.IPAddress.Loopback], selection), workers);
            return;
        }
        var ports = selection.Tcp;
        var slices = SlicePlanner.Plan(ports.Count, workers);
        var total = ports.Count;
        var what = total == ports.Last - ports.First + 1 ? $"Ports {new PortRange(ports.First, ports.Last)}" : "The ports, in ascending order";
        WriteArithmetic(output, what, "ports", total, slices.Count);
        output.WriteLine($"{"WORKER",6}  {"FIRST",5}  {"LAST",5}  {"PORTS",5}  SLICE");
        foreach (var bounds in slices)
        {
            var slice = ports.Take(bounds.Start, bounds.Count);
            output.WriteLine($"{bounds.Worker,6}  {slice.First,5}  {slice.Last,5}  {slice.Count,5}  {slice.Describe()}");
        }
    }

    /// <summary>Several hosts: positions run host by host, so a slice may end in the middle of one host's ports.</summary>
    private static void Write(TextWriter output, WorkList work, int workers)
    {
        var slices = SlicePlanner.Plan(work, workers);
        WriteArithmetic(output, $"{Counted.Of(work.Hosts.Count, "host")} × {Counted.Of(work.Ports.Count, "port")}", "host-ports", work.Count, slices.Count);
        output.WriteLine($"{"WORKER",6}  {"START",9}  {"END",9}  {"COUNT",9}  WORK");
        foreach (var slice in slices)
        {
            output.WriteLine($"{slice.Worker,6}  {slice.Bounds.Start,9}  {slice.Bounds.End,9}  {slice.Bounds.Count,9}  {slice.Work}");
        }
    }

    private static void WriteArithmetic(TextWriter output, string what, string unit, int total, int workers)
    {
        var per = total / workers;
        output.WriteLine($"{what}: {total} {unit} over {Counted.Of(workers, "worker")}, {total} / {workers} = {per} each; the last also takes the remainder of {total - (per * workers)}.");
    }
}
