using System.Globalization;

namespace PortScan.Shared.Ports;

/// <summary>
/// Ports as sorted, disjoint, non-adjacent ranges. A first worker gets a whole slice (one range);
/// its replacement gets only the ports the first one left unfinished, which can be any set.
/// Written as <c>1-5,9,12-40</c>, the compact form both the worker's command line and the
/// protocol use.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    private readonly PortRange[] _ranges;

    private PortSet(PortRange[] ranges)
    {
        _ranges = ranges;
        Count = ranges.Sum(r => r.Count);
    }

    public static PortSet Of(PortRange range) => new([range]);

    /// <summary>Sorts and merges overlapping or adjacent ranges.</summary>
    public static PortSet Of(IEnumerable<PortRange> ranges)
    {
        var merged = new List<PortRange>();
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = new PortRange(merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }
        return new PortSet([.. merged]);
    }

    public IReadOnlyList<PortRange> Ranges => _ranges;
    public int Count { get; }
    public bool IsEmpty => Count == 0;

    public bool Contains(int port)
    {
        int low = 0, high = _ranges.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var range = _ranges[middle];
            if (port < range.Start)
            {
                high = middle - 1;
            }
            else if (port > range.End)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every port, ascending.</summary>
    public IEnumerable<int> Ports()
    {
        foreach (var range in _ranges)
        {
            for (var port = range.Start; port <= range.End; port++)
            {
                yield return port;
            }
        }
    }

    /// <summary>Parses <c>1-5,9,12-40</c>; <paramref name="error"/> is one line. Never throws.</summary>
    public static bool TryParse(string text, out PortSet ports, out string error)
    {
        ports = new PortSet([]);
        var ranges = new List<PortRange>();
        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var startText = dash < 0 ? part : part[..dash];
            var endText = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                error = $"'{part}' in '{text}' is not a port or a range like 1-1024";
                return false;
            }
            if (!PortRange.TryCreate(start, end, out var range, out error))
            {
                return false;
            }
            ranges.Add(range);
        }
        ports = Of(ranges);
        error = "";
        return true;
    }

    public override string ToString() => string.Join(',', _ranges);

    public bool Equals(PortSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
