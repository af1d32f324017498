using System.CommandLine;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan plan</c>: the slice table a scan would use, without scanning.</summary>
internal sealed class PlanCommand : Command
{
    private readonly PortOptions _ports = new();

    public PlanCommand()
        : base("plan", "Print how the ports are split into one contiguous slice per worker, without scanning")
    {
        _ports.AddTo(this);
        SetAction(parse =>
        {
            Write(parse.InvocationConfiguration.Output, SlicePlanner.Plan(_ports.Ports(parse), parse.GetValue(_ports.Workers)));
            return 0;
        });
    }

    public static void Write(TextWriter output, IReadOnlyList<Slice> slices)
    {
        var total = slices.Sum(s => s.Ports.Count);
        var per = total / slices.Count;
        var what = total == slices[^1].Ports.Last - slices[0].Ports.First + 1
            ? $"Ports {new PortRange(slices[0].Ports.First, slices[^1].Ports.Last)}"
            : "The ports, in ascending order";
        output.WriteLine($"{what}: {total} ports over {slices.Count} workers, {total} / {slices.Count} = {per} each; the last also takes the remainder of {total - (per * slices.Count)}.");
        output.WriteLine($"{"WORKER",6}  {"FIRST",5}  {"LAST",5}  {"PORTS",5}  SLICE");
        foreach (var slice in slices)
        {
            output.WriteLine($"{slice.Worker,6}  {slice.Ports.First,5}  {slice.Ports.Last,5}  {slice.Ports.Count,5}  {slice.Ports.Describe()}");
        }
    }
}
