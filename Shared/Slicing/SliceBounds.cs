namespace PortScan.Shared.Slicing;

/// <summary>Worker <see cref="Worker"/>'s positions in the work: <see cref="Start"/> to <see cref="End"/>, both included.</summary>
public sealed record SliceBounds(int Worker, int Start, int Count)
{
    public int End => Start + Count - 1;
}
