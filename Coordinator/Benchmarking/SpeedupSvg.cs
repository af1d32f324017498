using System.Globalization;
using System.Text;
using PortScan.Coordinator.Output;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// Draws speedup against worker count, with the ideal (speedup = workers / first workers) as a
/// dashed line and, when the runs decide it, the speedup Amdahl's law predicts with the fitted
/// serial fraction. Worker counts are placed on a log scale, as they usually double.
/// </summary>
public static class SpeedupSvg
{
    private const int Width = 640;
    private const int Height = 400;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 50;

    public static string Draw(IReadOnlyList<SpeedupRow> rows, AmdahlFit? fit, string title)
    {
        var baseWorkers = rows[0].Workers;
        var maxY = Math.Max(rows.Max(r => r.Speedup), rows.Max(r => (double)r.Workers / baseWorkers)) * 1.1;
        var minX = Math.Log2(rows.Min(r => r.Workers));
        var maxX = Math.Log2(rows.Max(r => r.Workers));
        double X(int workers) => maxX > minX ? Left + ((Math.Log2(workers) - minX) / (maxX - minX) * (Width - Left - Right)) : Left + ((Width - Left - Right) / 2.0);
        double Y(double speedup) => Height - Bottom - (speedup / maxY * (Height - Top - Bottom));
        static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">workers</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{Height / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Height / 2})\">speedup over {baseWorkers} worker{(baseWorkers == 1 ? "" : "s")}</text>\n");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = maxY * tick / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(value) + 4)}\" text-anchor=\"end\">{F(value)}</text>\n");
        }
        foreach (var row in rows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(row.Workers))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{row.Workers}</text>\n");
        }
        var ideal = string.Join(' ', rows.Select(r => $"{F(X(r.Workers))},{F(Y((double)r.Workers / baseWorkers))}"));
        var measured = string.Join(' ', rows.Select(r => $"{F(X(r.Workers))},{F(Y(r.Speedup))}"));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{ideal}\" fill=\"none\" stroke=\"gray\" stroke-dasharray=\"6 4\"/>\n");
        if (fit is not null)
        {
            var predicted = string.Join(' ', rows.Select(r => $"{F(X(r.Workers))},{F(Y(fit.PredictedSpeedup(r.Workers)))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{predicted}\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 150}\" y=\"{Top + 42}\" fill=\"#ff7f0e\">Amdahl, serial {fit.SerialFraction:P1}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{measured}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n");
        foreach (var row in rows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(row.Workers))}\" cy=\"{F(Y(row.Speedup))}\" r=\"4\" fill=\"#1f77b4\"><title>{Counted.Of(row.Workers, "worker")}: {row.Speedup:0.00}x</title></circle>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 150}\" y=\"{Top + 10}\" fill=\"gray\">- - ideal</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 150}\" y=\"{Top + 26}\" fill=\"#1f77b4\">measured (median)</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
