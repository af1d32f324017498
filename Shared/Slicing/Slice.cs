using PortScan.Shared.Ports;

namespace PortScan.Shared.Slicing;

/// <summary>The contiguous part of the port range that one worker process scans.</summary>
public sealed record Slice(int Worker, PortRange Ports)
{
    public override string ToString() => $"worker {Worker}: ports {Ports}";
}
