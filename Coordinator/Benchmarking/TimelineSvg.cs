using System.Globalization;
using System.Text;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>
/// Every run's timeline in one SVG, on one time axis so that runs compare by length: a lane a
/// worker, grey while its process starts (until its hello), blue while it scans, nothing while it
/// waits for the last worker, a white tick where it took its next chunk (or a replacement took
/// over); each run's decomposition under its lanes.
/// </summary>
public static class TimelineSvg
{
    private const int Width = 800;
    private const int Left = 90;
    private const int Right = 70;
    private const int Lane = 14;
    private const int Gap = 4;
    private const int RunHeader = 20;
    private const int RunFooter = 26;

    public static string Draw(IReadOnlyList<Trial> trials, string title)
    {
        var longest = trials.Max(t => t.Timeline.Wall.TotalSeconds);
        var scale = (Width - Left - Right) / Math.Max(longest, 1e-9);
        static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        var height = 40 + trials.Sum(t => RunHeader + (t.Timeline.Lanes.Count * (Lane + Gap)) + RunFooter) + 30;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{height - 12}\"><tspan fill=\"#bbbbbb\">■</tspan> start-up (until hello); <tspan fill=\"#1f77b4\">■</tspan> scanning (a white tick: a next chunk or a replacement); blank: idle; dashed: the run ends</text>\n");
        var y = 40;
        foreach (var trial in trials)
        {
            var timeline = trial.Timeline;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 14}\" font-weight=\"bold\">{Escape(trial.Label)}{(trial.Repeat > 1 ? $", run {trial.Repeat}" : "")}</text>\n");
            y += RunHeader;
            var top = y;
            foreach (var lane in timeline.Lanes)
            {
                var launched = Left + (lane.Launched.TotalSeconds * scale);
                var greeted = Left + (lane.Greeted.TotalSeconds * scale);
                var finished = Left + (lane.Finished.TotalSeconds * scale);
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + Lane - 3}\" text-anchor=\"end\">worker {lane.Worker}</text>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(launched)}\" y=\"{y}\" width=\"{F(greeted - launched)}\" height=\"{Lane}\" fill=\"#bbbbbb\"><title>start-up {lane.StartUp.TotalSeconds:0.000} s</title></rect>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(greeted)}\" y=\"{y}\" width=\"{F(finished - greeted)}\" height=\"{Lane}\" fill=\"#1f77b4\"><title>scanning {lane.Busy.TotalSeconds:0.000} s</title></rect>\n");
                foreach (var handoff in lane.Handoffs ?? [])
                {
                    var x = Left + (handoff.TotalSeconds * scale);
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{y}\" x2=\"{F(x)}\" y2=\"{y + Lane}\" stroke=\"white\" stroke-width=\"1\"><title>next attempt at {handoff.TotalSeconds:0.000} s</title></line>\n");
                }
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(finished + 4)}\" y=\"{y + Lane - 3}\" font-size=\"10\">{lane.Finished.TotalSeconds:0.00} s</text>\n");
                y += Lane + Gap;
            }
            var end = Left + (timeline.Wall.TotalSeconds * scale);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(end)}\" y1=\"{top - 2}\" x2=\"{F(end)}\" y2=\"{y}\" stroke=\"black\" stroke-dasharray=\"3 2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{y + 14}\" font-size=\"11\">{Escape(RunTimeDecomposition.Of(timeline).ToString())} (seconds)</text>\n");
            y += RunFooter;
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
