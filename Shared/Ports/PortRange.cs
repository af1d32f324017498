namespace PortScan.Shared.Ports;

/// <summary>An inclusive range of port numbers (of either transport), always valid once constructed.</summary>
public readonly record struct PortRange
{
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    public PortRange(int start, int end)
    {
        if (start is < MinPort or > MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"port {start} is outside {MinPort}-{MaxPort}");
        }
        if (end is < MinPort or > MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"port {end} is outside {MinPort}-{MaxPort}");
        }
        if (start > end)
        {
            throw new ArgumentException($"start port {start} is greater than end port {end}");
        }
        Start = start;
        End = end;
    }

    public static PortRange All { get; } = new(MinPort, MaxPort);

    public int Start { get; }
    public int End { get; }
    public int Count => End - Start + 1;

    public bool Contains(int port) => port >= Start && port <= End;

    /// <summary>Checks a user-supplied range without exceptions; <paramref name="error"/> is one line.</summary>
    public static bool TryCreate(int start, int end, out PortRange range, out string error)
    {
        range = default;
        error = start is < MinPort or > MaxPort ? $"start port {start} is outside {MinPort}-{MaxPort}"
            : end is < MinPort or > MaxPort ? $"end port {end} is outside {MinPort}-{MaxPort}"
            : start > end ? $"start port {start} is greater than end port {end}"
            : "";
        if (error.Length > 0)
        {
            return false;
        }
        range = new PortRange(start, end);
        return true;
    }

    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";
}
