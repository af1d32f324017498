using System.Globalization;
using Spectre.Console;

namespace PortScan.Coordinator.Output;

/// <summary>One bar of a <see cref="ScaledBarChart"/>: its label, its value and how the value is printed.</summary>
public sealed record ScaledBar(string Label, double Value, string ValueText, Color Color);

/// <summary>
/// A horizontal bar chart drawn to scale. Spectre.Console's BarChart takes the value label's width
/// out of the bar and rounds to whole cells, so 2.06 s against 11.04 s got 3 cells instead of 7
/// and 0.31 s none; here every bar is measured in eighths of a cell (the Unicode eighth blocks),
/// the value stands after the bar, and a positive value gets at least one eighth.
/// </summary>
public static class ScaledBarChart
{
    // Eighth blocks, one to seven eighths of a cell wide; eight is the full block.
    private static readonly string[] Partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    private const char Full = '█';
    private const int MinimumCells = 10;
    private const int WidestUseful = 100;

    /// <summary>How many eighths of a cell a value's bar gets when <paramref name="max"/> fills <paramref name="cells"/>.</summary>
    public static int Eighths(double value, double max, int cells)
    {
        if (value <= 0 || max <= 0)
        {
            return 0;
        }
        // A value too small to round to one eighth is still shown: "absent" would read as zero.
        return Math.Max(1, (int)Math.Round(value / max * cells * 8, MidpointRounding.AwayFromZero));
    }

    /// <summary>A bar of so many eighths, as block characters.</summary>
    public static string Blocks(int eighths) => new string(Full, eighths / 8) + Partial[eighths % 8];

    /// <summary>The chart's lines, none wider than <paramref name="width"/> columns (for the widths this product draws at).</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<ScaledBar> bars, int width) =>
        [.. Layout(bars, width).Select(row => $"{row.Label} {Separator}{row.Bar} {row.Value}".TrimEnd())];

    /// <summary>Writes the title and the bars, each in its colour.</summary>
    public static void Write(IAnsiConsole console, string title, IReadOnlyList<ScaledBar> bars)
    {
        console.WriteLine(title);
        foreach (var row in Layout(bars, console.Profile.Width))
        {
            console.Write(new Text($"{row.Label} {Separator}"));
            console.Write(new Text(row.Bar, new Style(row.Color)));
            console.WriteLine($" {row.Value}");
        }
    }

    private const string Separator = "│";

    private static IEnumerable<(string Label, string Bar, string Value, Color Color)> Layout(IReadOnlyList<ScaledBar> bars, int width)
    {
        var labelWidth = bars.Max(b => b.Label.Length);
        var valueWidth = bars.Max(b => b.ValueText.Length);
        // label, space, separator, bar, space, value: the longest bar plus its value must fit the line.
        var cells = Math.Max(MinimumCells, Math.Min(width, WidestUseful) - labelWidth - 2 - 1 - valueWidth);
        var max = bars.Max(b => b.Value);
        return bars.Select(b => (b.Label.PadRight(labelWidth), Blocks(Eighths(b.Value, max, cells)), b.ValueText, b.Color));
    }

    /// <summary>A value with two decimals and a unit, for bar labels.</summary>
    public static string Format(double value, string unit) => value.ToString("0.00", CultureInfo.InvariantCulture) + unit;
}
