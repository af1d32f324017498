using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;
using Spectre.Console;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>One timed scan of one host in a demo or benchmark.</summary>
public sealed record Trial(string Label, int Workers, int Concurrency, int Repeat, ScanResult Result, WorkerTimeline Timeline)
{
    public double Seconds => Result.Elapsed.TotalSeconds;

    /// <summary>The per-worker timeline and where the wall time went, for a student to read after the live view is gone.</summary>
    public void Explain(IAnsiConsole console)
    {
        foreach (var line in TimelineChart.Lines(Timeline, console.Profile.Width - 2))
        {
            console.WriteLine($"  {line}");
        }
        console.WriteLine($"  {RunTimeDecomposition.Of(Timeline)}");
    }

    public IReadOnlySet<int> OpenPorts => Result.Hosts[0].Ports(includeNotOpen: false).Select(p => p.Port).ToHashSet();

    /// <summary>Ports whose state differs from what the target is known to have (a lab); empty when all match.</summary>
    public IReadOnlyList<int> Mismatches(Func<int, PortState> expected) =>
        [.. Result.Hosts[0].Ports(includeNotOpen: true).Where(p => p.State != expected(p.Port)).Select(p => p.Port)];
}
