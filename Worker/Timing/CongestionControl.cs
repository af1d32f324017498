using System.Diagnostics;
using System.Globalization;

namespace PortScan.Worker.Timing;

/// <summary>
/// How fast to probe one host, from evidence of loss (docs/design.md, "Timing").
/// <para>
/// The evidence is <em>canaries</em>: once the host has shown any loss (a port answered only on a
/// later try), every <see cref="HostTiming.CanaryEvery"/>th probe goes to a port of the host known
/// to answer. A silent canary is a lost probe, known one timeout after it was sent. Ports under
/// scan cannot serve: a silent one may be filtered, and its loss is only known once a later try
/// answers, many tries later when loss is heavy. A clean host never loses anything, so it never
/// gets a canary and never pays for one.
/// </para>
/// <para>
/// Canaries are counted in windows of <see cref="WindowTicks"/>. A window is <em>congested</em>
/// when more of its canaries were lost than the host's background loss explains. Loss can be ours
/// (a SYN limit, a full queue: sending slower helps) or the network's (a lossy link: sending slower
/// changes nothing). nmap treats every loss as ours and, on a link with 5 % loss, slows to a crawl.
/// Here a congested window cuts the pace to 0.9× the rate that got through, and the next windows
/// are a test: if the loss fell, it was ours and the pace holds; if it persisted at the lower pace,
/// it is the network's, it becomes the host's background loss, and the pace goes back to what it was.
/// </para>
/// <para>
/// A host starts with no pace of its own (as fast as the concurrency and --max-rate allow). After a
/// cut the pace climbs back to just under the ceiling where loss began, then probes above it,
/// faster the longer it stays clean (5 %, 10 %, then 20 % a window). Tries that ports lost in a
/// congested window are refunded: they count neither against the tries a port gets nor as evidence
/// of the network's loss, so our own burst of loss never turns a closed port filtered.
/// </para>
/// <para>
/// --min-rate sets a floor: no cut goes below it. A pace held at the floor cannot be tested (the
/// test is to send slower), so its congested windows are taken for ours, as they most likely are:
/// their tries are refunded and the pace stays, until windows at the floor come back clean. Silent
/// ports pay in retries, up to <see cref="HostTiming.HardCap"/>, which is proof enough only because
/// a host's pacer sends no bursts (<see cref="AttemptPacer.Smooth"/>): the tries of a port meet the
/// guard's loss one at a time, not behind a burst that took the one token.
/// </para>
/// </summary>
/// <param name="floor">Probes a second the pace never goes below (the worker's share of --min-rate); 0 for none.</param>
internal sealed class CongestionControl(double floor = 0)
{
    /// <summary>The stretch of sending judged as one.</summary>
    public static readonly long WindowTicks = Stopwatch.Frequency / 10;

    /// <summary>Canaries needed before a window (or a run of small ones) is judged.</summary>
    private const int MinSamples = 20;

    /// <summary>Slower than this, no host is worth scanning: at 10 a second a full range takes two hours.</summary>
    private const double MinRate = 10;

    /// <summary>Below this share of the ceiling the pace climbs without waiting.</summary>
    private const double Approach = 0.97;

    /// <summary>Clean judgements at the ceiling before the pace probes above it.</summary>
    private const int CleanBeforeProbe = 5;

    private enum Phase
    {
        /// <summary>No loss of ours seen: no pace of its own.</summary>
        Free,

        /// <summary>Cut; waiting for windows sent after the cut to say whose loss it was.</summary>
        Testing,

        /// <summary>Loss was ours: held under the ceiling where it began, probing above it now and then.</summary>
        Steady,
    }

    private readonly Queue<ProbeWindow> _windows = new();
    private readonly List<ProbeWindow> _group = [];
    private ProbeWindow? _current;
    private long _nextIndex;
    private Phase _phase = Phase.Free;
    private Phase _phaseBefore;
    private double _rateBefore;
    private double _lossBefore;
    private double _deliveredBefore;
    private long _testFrom;
    private double _ceiling;
    private int _clean;
    private double _growth = 0.05;

    // The last cut wanted a pace below the floor: the floor holds it, and the loss cannot be tested.
    private bool _held;

    /// <summary>Probes a second to this host; 0 for no pace of its own.</summary>
    public double Rate { get; private set; }

    /// <summary>The share of probes the network loses whatever the pace, learned from tests.</summary>
    public double Background { get; private set; }

    // Canaries of the windows that were not congested: the network's own loss, measured.
    private int _cleanLost;
    private int _cleanSamples;

    /// <summary>
    /// The share of canaries lost in windows that were not congested: the loss a probe suffers at a
    /// pace the host can take, with enough canaries to mean something; null before that.
    /// </summary>
    public double? NetworkLoss => _cleanSamples >= 50 ? (double)_cleanLost / _cleanSamples : null;

    /// <summary>The window a probe sent now belongs to.</summary>
    public ProbeWindow OnSend(long now)
    {
        if (_current is null || now - _current.StartTicks >= WindowTicks)
        {
            _current = new ProbeWindow(_nextIndex++, now);
            _windows.Enqueue(_current);
        }
        _current.Sent++;
        _current.LastSendTicks = now;
        return _current;
    }

    /// <summary>
    /// Judges every window whose canaries are all in (all of them at the host's end), oldest first.
    /// Ports of windows whose loss proves ours get their tries back through <paramref name="refund"/>.
    /// </summary>
    /// <param name="patienceTicks">How long after it closes a window may wait for a canary's fate: about a timeout.</param>
    /// <returns>Why the pace changed, for the log; null when it did not change for a reason worth telling.</returns>
    public string? Judge(long now, bool hostEnd, long patienceTicks, Action<PortProbe> refund)
    {
        string? change = null;
        while (_windows.TryPeek(out var window)
            && (hostEnd || ((window != _current || now - window.StartTicks >= WindowTicks)
                && (window.Outstanding == 0 || now - window.StartTicks >= WindowTicks + patienceTicks))))
        {
            _windows.Dequeue();
            if (window == _current)
            {
                _current = null;
            }
            _group.Add(window);
            var samples = 0;
            foreach (var w in _group)
            {
                samples += w.CanariesAnswered + w.CanariesLost;
            }
            var last = hostEnd && _windows.Count == 0;
            if (samples < MinSamples && !last)
            {
                continue; // too little evidence yet: judge it with the next window
            }
            change = Verdict(refund) ?? change;
            _group.Clear();
        }
        return change;
    }

    private string? Verdict(Action<PortProbe> refund)
    {
        int sent = 0, answered = 0, lost = 0;
        long last = 0;
        foreach (var w in _group)
        {
            (sent, answered, lost, last) = (sent + w.Sent, answered + w.CanariesAnswered, lost + w.CanariesLost, Math.Max(last, w.LastSendTicks));
        }
        var samples = answered + lost;
        if (samples == 0)
        {
            return null; // no canaries: nothing to judge
        }
        var loss = (double)lost / samples;
        // More losses than the background explains, beyond 2.5 standard deviations and one more:
        // with no background loss, two lost canaries in a window are already ours.
        var expected = Background * samples;
        var congested = lost > expected + (2.5 * Math.Sqrt(expected * (1 - Background))) + 1;
        if (congested)
        {
            // More loss than the network's own: the excess is ours, and says nothing about the ports.
            Refund(refund);
        }
        else
        {
            (_cleanLost, _cleanSamples) = (_cleanLost + lost, _cleanSamples + samples);
        }
        var seconds = Math.Max(WindowTicks, last - _group[0].StartTicks) / (double)Stopwatch.Frequency;
        var sentRate = sent / seconds;

        if (_phase == Phase.Testing && _group[0].Index >= _testFrom)
        {
            if (!congested)
            {
                // The loss went away when we slowed down: it was ours. Hold under where it began.
                (_phase, _ceiling, _clean, _growth) = (Phase.Steady, _deliveredBefore, 0, 0.05);
                return null;
            }
            if (_held)
            {
                // At the floor: slowing down, the only test of whose loss it is, is not allowed. It is
                // taken for ours (refunded above), and the pace stays until the floor's windows are clean.
                return null;
            }
            if (loss < 0.6 * _lossBefore)
            {
                // Less loss, but still too much: ours, and still too fast.
                return Cut(sentRate, loss, lost, samples);
            }
            // Slower did not help: the network loses this much whatever we do.
            Background = Math.Min(0.9, loss);
            (_phase, Rate) = (_phaseBefore, _rateBefore);
            return $"restored {Describe(Rate)}: {Percent(loss)} of canaries were still lost at {Describe(sentRate)}, so the loss is the network's (background loss now {Percent(Background)})";
        }
        if (_phase == Phase.Testing)
        {
            return null; // sent before the cut: its loss is already acted on
        }

        if (congested)
        {
            (_rateBefore, _phaseBefore) = (Rate, _phase);
            return Cut(sentRate, loss, lost, samples);
        }

        if (loss < Background)
        {
            // A background learned while another worker flooded the host must be able to fall again:
            // quickly when the evidence is clear, slowly when it may be noise.
            var sigma = Math.Sqrt(Background * (1 - Background) / samples);
            Background -= (loss < Background - (2 * sigma) ? 0.5 : 0.1) * (Background - loss);
        }
        if (_phase == Phase.Steady)
        {
            Climb(sentRate);
        }
        return null;
    }

    /// <summary>To 0.9× what got through, then a test of whose loss it was.</summary>
    private string Cut(double sentRate, double loss, int lost, int samples)
    {
        var delivered = sentRate * (1 - loss) / (1 - Background);
        (_lossBefore, _deliveredBefore) = (loss, delivered);
        var wanted = Math.Max(MinRate, 0.9 * delivered);
        (Rate, _held) = (Math.Max(wanted, floor), wanted < floor);
        (_phase, _testFrom) = (Phase.Testing, _nextIndex);
        var held = _held ? $", held at --min-rate's floor (the loss asked for {Describe(wanted)})" : "";
        return $"cut to {Describe(Rate)}{held}: {lost} of {samples} canaries lost ({Percent(loss)}, background {Percent(Background)}) at {Describe(sentRate)}";
    }

    /// <summary>Tries lost to our own pace say nothing about their ports: they do not count.</summary>
    private void Refund(Action<PortProbe> refund)
    {
        foreach (var w in _group)
        {
            foreach (var port in w.Silent)
            {
                // An answered port's lost try is refunded too: it is no evidence of the network's loss.
                port.CountedTries--;
                if (!port.Finished)
                {
                    refund(port);
                }
            }
        }
    }

    /// <summary>Back up to just under the ceiling at once; past it, only after a clean run, and faster each time.</summary>
    /// <param name="sentRate">What was really sent: a pace that does not bind proves nothing, so it never climbs past twice that.</param>
    private void Climb(double sentRate)
    {
        if (Rate >= 2 * sentRate)
        {
            return;
        }
        if (Rate < Approach * _ceiling)
        {
            Rate = Math.Min(Rate * 1.25, Approach * _ceiling);
            return;
        }
        if (++_clean < CleanBeforeProbe)
        {
            return;
        }
        Rate *= 1 + _growth;
        // Faster each clean window, but by a fifth at most: the evidence of a step arrives two windows late.
        _growth = Math.Min(0.2, _growth * 2);
        _ceiling = Math.Max(_ceiling, Rate);
    }

    private static string Describe(double rate) => rate > 0 ? $"{rate.ToString("N0", CultureInfo.InvariantCulture)} probes/s" : "no limit";

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
