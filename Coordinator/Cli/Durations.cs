using System.Globalization;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Durations as users type them: <c>250ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>, or a plain
/// number of milliseconds (<c>1000</c>), because timeouts are per connect and usually below a second.
/// </summary>
public static class Durations
{
    public static readonly TimeSpan Maximum = TimeSpan.FromHours(1);

    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = default;
        var trimmed = text.Trim().ToLowerInvariant();
        var (number, scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.Ordinal) => (trimmed[..^2], 1.0),
            _ when trimmed.EndsWith('s') => (trimmed[..^1], 1000.0),
            _ when trimmed.EndsWith('m') => (trimmed[..^1], 60_000.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsNaN(amount))
        {
            error = $"'{text}' is not a duration (examples: 250ms, 1s, 1.5s, 1000)";
            return false;
        }
        var milliseconds = amount * scale;
        if (milliseconds < 1)
        {
            error = $"'{text}' is too short: the least is 1ms";
            return false;
        }
        if (milliseconds > Maximum.TotalMilliseconds)
        {
            error = $"'{text}' is too long: the most is 1 hour";
            return false;
        }
        value = TimeSpan.FromMilliseconds(Math.Round(milliseconds));
        error = "";
        return true;
    }

    /// <summary>As a user would type it, so that it parses back: <c>250ms</c>, <c>1s</c>, <c>1.5s</c>, <c>5m</c>.</summary>
    public static string Typed(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms >= 60_000 && ms % 60_000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{ms / 60_000}m")
            : ms < 1000 ? string.Create(CultureInfo.InvariantCulture, $"{ms}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:0.###}s");
    }

    /// <summary>For prose: <c>250 ms</c> below a second, <c>1.25 s</c> below a minute, then <c>5 min</c>.</summary>
    public static string Format(int milliseconds) => milliseconds switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.###} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000.0:0.##} min"),
    };
}
