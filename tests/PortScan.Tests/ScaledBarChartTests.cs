using PortScan.Coordinator.Output;
using Spectre.Console;

namespace PortScan.Tests;

public class ScaledBarChartTests
{
    private static ScaledBar Bar(string label, double value, string text) => new(label, value, text, Color.Green);

    private static double Cells(string line) =>
        line.Count(c => c == '█') + (line.Select(c => "▏▎▍▌▋▊▉".IndexOf(c, StringComparison.Ordinal) + 1).Max() / 8.0);

    [TestCase(80)]
    [TestCase(120)]
    [TestCase(200)]
    public void Every_bar_is_proportional_to_its_value_within_one_cell(int width)
    {
        var values = new[] { 11.04, 7.3, 2.06, 1.5, 0.31 };
        var bars = values.Select((v, i) => Bar($"run {i}", v, $"{v:0.00} s")).ToList();

        var lines = ScaledBarChart.Lines(bars, width);

        var full = Cells(lines[0]);
        for (var i = 0; i < values.Length; i++)
        {
            Cells(lines[i]).ShouldBe(values[i] / values[0] * full, 1.0, $"bar {i} at width {width}: '{lines[i]}'");
        }
    }

    [Test]
    public void The_issue_s_0_31_s_against_11_04_s_is_a_visible_bar_of_the_right_length()
    {
        var bars = new[] { Bar("article mode, 1 worker", 11.04, "11.04 s"), Bar("article mode, 8 workers", 2.06, "2.06 s"), Bar("async engine, 8 workers", 0.31, "0.31 s") };

        var lines = ScaledBarChart.Lines(bars, 80);

        var full = Cells(lines[0]);
        Cells(lines[1]).ShouldBe(2.06 / 11.04 * full, 0.125, "2.06 s is drawn to scale, to the eighth of a cell");
        Cells(lines[2]).ShouldBeGreaterThan(0, "0.31 s still has a bar");
        Cells(lines[2]).ShouldBe(0.31 / 11.04 * full, 0.125);
        lines[2].ShouldEndWith("0.31 s", customMessage: "the value stands outside the bar");
    }

    [Test]
    public void A_1_02x_speedup_is_drawn_longer_than_1_00x()
    {
        var bars = new[] { Bar("1 worker", 1.00, "1.00x"), Bar("2 workers", 1.02, "1.02x"), Bar("4 workers", 1.95, "1.95x") };

        var lines = ScaledBarChart.Lines(bars, 80);

        Cells(lines[1]).ShouldBeGreaterThan(Cells(lines[0]));
    }

    [Test]
    public void In_80_columns_no_line_wraps_and_each_bar_is_one_line()
    {
        var bars = new[] { Bar("async engine, 16 workers", 1234.56, "1234.56 s"), Bar("article mode, 1 worker", 0.01, "0.01 s") };

        var lines = ScaledBarChart.Lines(bars, 80);

        lines.Count.ShouldBe(2);
        lines.ShouldAllBe(line => line.Length <= 80);
    }

    [Test]
    public void A_zero_value_has_no_bar_and_a_tiny_one_has_an_eighth()
    {
        ScaledBarChart.Eighths(0, 10, 40).ShouldBe(0);
        ScaledBarChart.Eighths(0.0001, 10, 40).ShouldBe(1);
        ScaledBarChart.Blocks(19).ShouldBe("██▍");
    }
}
