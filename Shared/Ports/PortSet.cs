using System.Globalization;
using System.Text;

namespace PortScan.Shared.Ports;

/// <summary>
/// Ports as sorted, disjoint, non-adjacent ranges. A first worker gets a whole slice (one range);
/// its replacement gets only the ports the first one left unfinished, which can be any set.
/// Written as <c>1-5,9,12-40</c>, the compact form both the worker's command line and the
/// protocol use; single ports evenly spaced are written as a stride, <c>20003-21995/8</c> for every
/// 8th port from 20003 (protocol 7), so that a cyclic slice (every W-th port) is a few characters,
/// not thousands of ports past the kernel's 128 KB limit on one argument.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    private readonly PortRange[] _ranges;

    // _before[i] = how many ports come before range i: the position of a port in O(log ranges).
    private readonly int[] _before;

    private PortSet(PortRange[] ranges)
    {
        _ranges = ranges;
        _before = new int[ranges.Length];
        for (var i = 1; i < ranges.Length; i++)
        {
            _before[i] = _before[i - 1] + ranges[i - 1].Count;
        }
        Count = ranges.Length == 0 ? 0 : _before[^1] + ranges[^1].Count;
    }

    public static PortSet Empty { get; } = new([]);

    public static PortSet All { get; } = new([PortRange.All]);

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
    public int First => _ranges[0].Start;
    public int Last => _ranges[^1].End;

    public bool Contains(int port) => IndexOf(port) >= 0;

    /// <summary>The port's position in ascending order, or -1 when it is not in the set.</summary>
    public int IndexOf(int port)
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
                return _before[middle] + (port - range.Start);
            }
        }
        return -1;
    }

    /// <summary>The port at position <paramref name="index"/> in ascending order.</summary>
    public int At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var range = Array.BinarySearch(_before, index);
        // Not found: the complement of the next larger entry; the range is the one before it.
        range = range >= 0 ? range : ~range - 1;
        return _ranges[range].Start + (index - _before[range]);
    }

    /// <summary>The ports at positions <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="count"/> - 1: a slice of the work.</summary>
    public PortSet Take(int skip, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(skip + count, Count);
        var taken = new List<PortRange>();
        foreach (var range in _ranges)
        {
            if (count == 0)
            {
                break;
            }
            if (skip >= range.Count)
            {
                skip -= range.Count;
                continue;
            }
            var start = range.Start + skip;
            var end = Math.Min(range.End, start + count - 1);
            taken.Add(new PortRange(start, end));
            count -= end - start + 1;
            skip = 0;
        }
        return new PortSet([.. taken]);
    }

    /// <summary>These ports without <paramref name="other"/>'s (nmap's --exclude-ports).</summary>
    public PortSet Except(PortSet other)
    {
        var result = new List<PortRange>();
        foreach (var range in _ranges)
        {
            var start = range.Start;
            foreach (var cut in other._ranges.Where(c => c.End >= range.Start && c.Start <= range.End))
            {
                if (cut.Start > start)
                {
                    result.Add(new PortRange(start, cut.Start - 1));
                }
                start = cut.End + 1;
            }
            if (start <= range.End)
            {
                result.Add(new PortRange(start, range.End));
            }
        }
        return new PortSet([.. result]);
    }

    /// <summary>Short enough for a header line: the ranges, or the first and last port and how many ranges.</summary>
    public string Describe()
    {
        var text = ToString();
        return text.Length <= 60 ? text : $"{First}-{Last} in {_ranges.Length} ranges";
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

    /// <summary>Parses <c>1-5,9,12-40</c> and strides (<c>20003-21995/8</c>); <paramref name="error"/> is one line. Never throws.</summary>
    public static bool TryParse(string text, out PortSet ports, out string error)
    {
        ports = Empty;
        var ranges = new List<PortRange>();
        foreach (var part in text.Split(','))
        {
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            var span = slash < 0 ? part : part[..slash];
            var dash = span.IndexOf('-', StringComparison.Ordinal);
            var startText = dash < 0 ? span : span[..dash];
            var endText = dash < 0 ? span : span[(dash + 1)..];
            var step = 1;
            if (!int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                || (slash >= 0 && (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)))
            {
                error = $"'{part}' in '{text}' is not a port or a range like 1-1024";
                return false;
            }
            if (!PortRange.TryCreate(start, end, out var range, out error))
            {
                return false;
            }
            if (step == 1)
            {
                ranges.Add(range);
                continue;
            }
            for (var port = range.Start; port <= range.End; port += step)
            {
                ranges.Add(new PortRange(port, port));
            }
        }
        ports = Of(ranges);
        error = "";
        return true;
    }

    /// <summary>The ranges, with runs of three or more single ports evenly spaced written as a stride.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _ranges.Length;)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            // How far a run of single ports, each the same step after the one before, goes from i.
            var run = i + 1;
            if (_ranges[i].Count == 1 && run < _ranges.Length && _ranges[run].Count == 1)
            {
                var step = _ranges[run].Start - _ranges[i].Start;
                while (run + 1 < _ranges.Length && _ranges[run + 1].Count == 1 && _ranges[run + 1].Start - _ranges[run].Start == step)
                {
                    run++;
                }
                if (run - i >= 2)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{_ranges[i].Start}-{_ranges[run].Start}/{step}");
                    i = run + 1;
                    continue;
                }
            }
            text.Append(_ranges[i]);
            i++;
        }
        return text.ToString();
    }

    public bool Equals(PortSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
