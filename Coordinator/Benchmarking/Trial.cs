using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>One timed scan of one host in a demo or benchmark.</summary>
public sealed record Trial(string Label, int Workers, int Concurrency, int Repeat, ScanResult Result)
{
    public double Seconds => Result.Elapsed.TotalSeconds;

    public IReadOnlySet<int> OpenPorts => Result.Hosts[0].Ports(includeNotOpen: false).Select(p => p.Port).ToHashSet();

    /// <summary>Ports whose state differs from what the target is known to have (a lab); empty when all match.</summary>
    public IReadOnlyList<int> Mismatches(Func<int, PortState> expected) =>
        [.. Result.Hosts[0].Ports(includeNotOpen: true).Where(p => p.State != expected(p.Port)).Select(p => p.Port)];
}
