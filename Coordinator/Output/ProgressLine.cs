using System.Diagnostics;
using System.Globalization;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A one-line progress bar on stderr (ports done, rate, ETA), redrawn four times a second once a
/// scan has run for <see cref="Delay"/>: a quick scan never flickers one. Made only when stderr is
/// a terminal and --no-progress was not given, so pipes and files never see it. Output on stdout
/// goes through <see cref="WriteAbove"/>, which clears the bar first so the two never share a line.
/// </summary>
public sealed class ProgressLine : IScanObserver, IAsyncDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const int BarWidth = 30;

    private readonly TextWriter _stderr;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    // Never disposed: it has no timer and no registrations, and disposing it would make a second DisposeAsync throw.
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _finished;
    private bool _drawn;

    public ProgressLine(TextWriter stderr, long total)
    {
        _stderr = stderr;
        _total = total;
        _loop = RunAsync();
    }

    /// <summary>True when a progress bar belongs on this stderr: a terminal that can redraw a line.</summary>
    public static bool Wanted(TextWriter stderr, bool noProgress) =>
        !noProgress
        && ReferenceEquals(stderr, Console.Error)
        && !Console.IsErrorRedirected
        && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or "");

    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port) =>
        Interlocked.Increment(ref _finished);

    /// <summary>Runs <paramref name="write"/> (a line on stdout) with the bar cleared; the next tick redraws it.</summary>
    public void WriteAbove(Action write)
    {
        lock (_lock)
        {
            Clear();
            write();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_clock.Elapsed >= Delay)
                {
                    lock (_lock)
                    {
                        _stderr.Write("\r\x1b[K" + Render(Interlocked.Read(ref _finished), _total, _clock.Elapsed));
                        _stderr.Flush();
                        _drawn = true;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The scan is over.
        }
    }

    /// <summary>"[#########.....]  45%  29,000/65,535 ports  4,321/s  ETA 0:08".</summary>
    public static string Render(long finished, long total, TimeSpan elapsed)
    {
        var fraction = total == 0 ? 1 : (double)finished / total;
        var filled = (int)Math.Round(fraction * BarWidth);
        var rate = elapsed.TotalSeconds > 0 ? finished / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - finished) / rate)) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction * 100,3:0}%  {finished:N0}/{total:N0} ports  {rate:#,0.#}/s  ETA {(eta is { } t ? $"{(int)t.TotalMinutes}:{t.Seconds:00}" : "--:--")}");
    }

    private void Clear()
    {
        if (_drawn)
        {
            _stderr.Write("\r\x1b[K");
            _stderr.Flush();
            _drawn = false;
        }
    }

    /// <summary>Stops and clears the bar; the scan calls it before its report, and again (harmlessly) on the way out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_lock)
        {
            Clear();
        }
    }
}
