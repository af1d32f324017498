namespace PortScan.Shared.Slicing;

/// <summary>
/// Worker <see cref="Worker"/>'s positions in the work: <see cref="Count"/> of them, from
/// <see cref="Start"/>, <see cref="Stride"/> apart. The block schedule's slices are contiguous
/// (stride 1); the cyclic schedule's take every W-th position (stride W).
/// </summary>
public sealed record SliceBounds(int Worker, int Start, int Count, int Stride = 1)
{
    /// <summary>The last position, included.</summary>
    public int End => Start + ((Count - 1) * Stride);

    /// <summary>The slice's <paramref name="index"/>-th position.</summary>
    public int Position(int index) => Start + (index * Stride);

    /// <summary>Where <paramref name="position"/> is in this slice, or -1 when it is not one of its positions.</summary>
    public int IndexOf(int position)
    {
        var offset = position - Start;
        if (offset < 0 || offset % Stride != 0)
        {
            return -1;
        }
        var index = offset / Stride;
        return index < Count ? index : -1;
    }

    /// <summary>True when one of this slice's positions lies in <paramref name="first"/> .. <paramref name="last"/>.</summary>
    public bool Overlaps(long first, long last)
    {
        var from = Math.Max(first, Start);
        // The first of the slice's positions at or after from.
        var aligned = from + ((Stride - ((from - Start) % Stride)) % Stride);
        return aligned <= Math.Min(last, End);
    }

    /// <summary>Every position, ascending.</summary>
    public IEnumerable<int> Positions()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return Position(index);
        }
    }
}
