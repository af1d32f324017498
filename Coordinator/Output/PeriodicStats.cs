using System.Globalization;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Output;

/// <summary>
/// --stats-every: nmap's status lines on stderr every <paramref name="every"/>, terminal or not
/// (a scan in a log file or under CI is what they are for), with the progress bar's ETA:
/// <code>
/// Stats: 0:00:05 elapsed; 0 hosts completed (1 up), 1 undergoing Connect Scan
/// Connect Scan Timing: About 12.34% done; ETA: 12:34 (0:00:40 remaining)
/// </code>
/// </summary>
public sealed class PeriodicStats(ConsoleLines lines, TextWriter stderr, TimeSpan every, Func<DateTime> clock) : IScanObserver
{
    private TimeSpan _next;

    public void Progressed(ScanProgress progress)
    {
        if (_next == TimeSpan.Zero)
        {
            _next = every;
        }
        if (progress.Elapsed < _next)
        {
            return;
        }
        while (_next <= progress.Elapsed)
        {
            _next += every;
        }
        foreach (var line in Render(progress, clock()))
        {
            lines.WriteLine(stderr, line);
        }
    }

    /// <param name="now">The local time, for the ETA's clock time.</param>
    public static IEnumerable<string> Render(ScanProgress progress, DateTime now)
    {
        var phase = progress.Udp ? "UDP Scan" : "Connect Scan";
        var undergoing = progress.Hosts - progress.HostsCompleted;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Stats: {Clock(progress.Elapsed, up: false)} elapsed; {progress.HostsCompleted} {Hosts(progress.HostsCompleted)} completed ({progress.HostsUp} up), {undergoing} undergoing {phase}");
        var done = string.Create(CultureInfo.InvariantCulture, $"{phase} Timing: About {Math.Floor(progress.Fraction * 10_000) / 100:0.00}% done");
        yield return progress.Eta is { } eta
            ? string.Create(CultureInfo.InvariantCulture, $"{done}; ETA: {now + eta:HH:mm} ({Clock(eta, up: true)} remaining)")
            : done;
    }

    private static string Hosts(int count) => count == 1 ? "host" : "hosts";

    /// <summary>nmap's "0:00:40": hours, minutes, seconds; a time left is rounded up, as a scan with a second left is not done.</summary>
    private static string Clock(TimeSpan time, bool up)
    {
        var seconds = (long)(up ? Math.Ceiling(time.TotalSeconds) : Math.Floor(time.TotalSeconds));
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
