using System.CommandLine;
using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Options whose values are checked while parsing, so every bad value becomes a parse error with
/// one clear sentence instead of a conversion message naming a .NET type.
/// </summary>
internal static class OptionFactory
{
    public static Option<int> Port(string name, int defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= PortRange.MinPort and <= PortRange.MaxPort)
            {
                return port;
            }
            result.AddError($"{name} '{text}' is not a port number ({PortRange.MinPort}-{PortRange.MaxPort})");
            return 0;
        },
    };

    public static Option<int> Count(string name, string? alias, int min, int max, Func<int> defaultValue, string description) => new(name, alias is null ? [] : [alias])
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue(),
        CustomParser = result => ParseCount(result, name, min, max),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or a parse error saying so.</summary>
    public static int ParseCount(System.CommandLine.Parsing.ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        result.AddError($"{name} '{text}' must be a whole number from {min} to {max}");
        return 0;
    }

    /// <summary>A positive decimal number up to <paramref name="max"/> (a rate), or a parse error saying so.</summary>
    public static Option<double?> Rate(string name, double max, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max)
            {
                return value;
            }
            result.AddError($"{name} '{text}' must be a number above 0 and at most {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        },
    };

    public static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseDuration(result, name) ?? default,
    };

    /// <summary>A duration whose default depends on other options: null when not given.</summary>
    public static Option<TimeSpan?> Duration(string name, string[] aliases, string description) => new(name, aliases)
    {
        Description = description,
        CustomParser = result => ParseDuration(result, name),
    };

    private static TimeSpan? ParseDuration(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        var text = result.Tokens[0].Value;
        if (Durations.TryParse(text, out var value, out var error))
        {
            return value;
        }
        result.AddError($"{name}: {error}");
        return null;
    }
}
