using PortScan.Shared.Ports;

namespace PortScan.Shared.Slicing;

/// <summary>The contiguous run of the requested ports that one worker process scans.</summary>
public sealed record Slice(int Worker, PortSet Ports)
{
    public override string ToString() => $"worker {Worker}: ports {Ports}";
}
