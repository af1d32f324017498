using PortScan.Shared.Work;

namespace PortScan.Shared.Slicing;

/// <summary>The contiguous run of the scan's host-ports that one worker process scans.</summary>
public sealed record Slice(SliceBounds Bounds, WorkSet Work)
{
    public int Worker => Bounds.Worker;

    public override string ToString() => $"worker {Worker}: {Work}";
}
