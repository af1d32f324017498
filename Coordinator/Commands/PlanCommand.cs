using System.CommandLine;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan plan</c>: the slice table a scan would use, without scanning.</summary>
internal sealed class PlanCommand : Command
{
    private readonly PortOptions _ports = new();

    public PlanCommand()
        : base("plan", "Print how a port range is split into one contiguous slice per worker, without scanning")
    {
        _ports.AddTo(this);
        SetAction(parse =>
        {
            Write(parse.InvocationConfiguration.Output, SlicePlanner.Plan(_ports.Range(parse), parse.GetValue(_ports.Workers)));
            return 0;
        });
    }

    public static void Write(TextWriter output, IReadOnlyList<Slice> slices)
    {
        var first = slices[0].Ports.Start;
        var last = slices[^1].Ports.End;
        var total = last - first + 1;
        var per = total / slices.Count;
        output.WriteLine($"Ports {first}-{last}: {total} ports over {slices.Count} workers, {total} / {slices.Count} = {per} each; the last also takes the remainder of {total - (per * slices.Count)}.");
        output.WriteLine($"{"WORKER",6}  {"START",5}  {"END",5}  {"PORTS",5}");
        foreach (var slice in slices)
        {
            output.WriteLine($"{slice.Worker,6}  {slice.Ports.Start,5}  {slice.Ports.End,5}  {slice.Ports.Count,5}");
        }
    }
}
