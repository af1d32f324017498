using System.Globalization;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A one-line progress bar at the bottom of stderr (ports done, rate, ETA), redrawn at each of
/// the scan's ticks once it has run for <see cref="Delay"/>: a quick scan never flickers one. Made
/// only when stderr is a terminal and --no-progress was not given, so pipes and files never see
/// it. Every other line goes through the same <see cref="ConsoleLines"/>, which clears the bar
/// before a line and draws it again after.
/// </summary>
public sealed class ProgressLine(ConsoleLines lines) : IScanObserver, IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);
    private const int BarWidth = 30;

    private bool _done;

    /// <summary>True when a progress bar belongs on this stderr: a terminal that can redraw a line.</summary>
    public static bool Wanted(TextWriter stderr, bool noProgress) =>
        !noProgress
        && ReferenceEquals(stderr, Console.Error)
        && !Console.IsErrorRedirected
        && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or "");

    public void Progressed(ScanProgress progress)
    {
        if (!_done && progress.Elapsed >= Delay)
        {
            lines.Status(Render(progress));
        }
    }

    /// <summary>"[#########.....]  45%  29,000/65,535 ports  4,321/s  ETA 0:08".</summary>
    public static string Render(ScanProgress progress)
    {
        var filled = (int)Math.Round(progress.Fraction * BarWidth);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {progress.Fraction * 100,3:0}%  {progress.Finished:N0}/{progress.Total:N0} ports  {progress.Rate:#,0.#}/s  ETA {(progress.Eta is { } t ? Minutes(t) : "--:--")}");
    }

    /// <summary>"1:05", rounded up: a scan with a second left is not done.</summary>
    private static string Minutes(TimeSpan time)
    {
        var seconds = (long)Math.Ceiling(time.TotalSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }

    /// <summary>Clears the bar for good; the scan calls it before its report.</summary>
    public void Dispose()
    {
        _done = true;
        lines.Status(null);
    }
}
