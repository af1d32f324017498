using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Worker.Timing;

/// <summary>
/// Everything one worker knows about how one host behaves, shared by the TCP and UDP engines:
/// its round-trip time and so each probe's timeout, how many tries its silent ports are worth,
/// how fast to probe it (<see cref="CongestionControl"/>), and the counts its report shows.
/// <para>
/// Tries follow evidence, as nmap's do: when some port of this host answered only on try k, its
/// earlier tries were lost, so a silent port is worth tries up to k+1; a host where nothing needed
/// a retry gives each silent port one retry. --max-retries caps it. Tries lost in congested windows
/// are refunded, so they raise neither a port's count nor the host's.
/// </para>
/// <para>
/// --host-timeout runs on this host's clock, from the first probe either engine sent it; the
/// coordinator may also end it early when another worker of the host gave it up first.
/// </para>
/// </summary>
/// <param name="chunked">
/// A dynamic worker's: the host's work comes a chunk at a time and each chunk's end decides its
/// silent ports, before the answering ports still to come are known (<see cref="FinalTries"/>).
/// </param>
internal sealed class HostTiming(ScanTarget target, ProbeSettings settings, bool chunked = false)
{
    private readonly long _minTicks = Ticks(settings.MinRttTimeoutMs);
    private readonly long _maxTicks = Ticks(settings.TimeoutMs);
    private readonly long _initialTicks = Ticks(settings.InitialRttTimeoutMs);
    private readonly long _hostTimeoutTicks = Ticks(settings.HostTimeoutMs);

    // When the first probe to this host left (a Stopwatch timestamp); 0 before.
    private long _firstProbe;

    // Ports that answered after at least one silent try: the evidence behind the allowed tries.
    private readonly List<PortProbe> _recovered = [];
    private int _maxAnsweredTry = 1;

    public ScanTarget Target { get; } = target;

    public RttEstimator Rtt { get; } = new();

    public CongestionControl Congestion { get; } = new(settings.MinRate);

    /// <summary>Paces probes to this host at <see cref="CongestionControl.Rate"/>.</summary>
    public AttemptPacer Pacer { get; } = AttemptPacer.Smooth();

    /// <summary>How long a probe sent now waits: srtt + 4·rttvar within [min, max], or the initial timeout before any answer.</summary>
    public long TimeoutTicks => settings.IsFixed ? _maxTicks : Rtt.TimeoutTicks(_minTicks, _maxTicks, _initialTicks);

    /// <summary>Tries a silent port gets now (the first one included): nmap's rule, while the scan of the host goes on.</summary>
    public int AllowedTries => settings.MaxRetries == 0 ? 1
        : Math.Min(settings.MaxRetries + 1, Math.Max(_otherDrops > 0 ? 3 : 2, _maxAnsweredTry + 1));

    /// <summary>
    /// Tries each of the host's <paramref name="silentPorts"/> gets in the end. nmap's rule alone
    /// leaves a closed port filtered whenever it loses one try more than any port before it did:
    /// with 5 % loss each way and 20,000 closed ports that is a port wrong in one scan of fifty. So
    /// the tries are also enough that, at the loss <c>p</c> the answered ports showed (this worker's
    /// and, through the coordinator, the host's other workers'), the answering ports hidden among
    /// the silent ones are expected to number fewer than <see cref="MissedAnswers"/>. Of the
    /// <c>a</c> ports here that answer, about <c>a·pᵏ</c> stay silent to all k tries; <c>a + 1</c>,
    /// so that a slice with no answering port at all still allows for one.
    /// </summary>
    public int FinalTries(int silentPorts)
    {
        int lost = _otherDrops + NetworkDrops, answered = _answered + _otherAnswers;
        var tries = AllowedTries;
        // The canaries' measure of the network's loss where there is one: the tries answered ports
        // lost count losses to our own pace just under the congestion threshold too. Else theirs,
        // this worker's and the other workers' of the host.
        var p = Congestion.NetworkLoss ?? (lost > 0 ? (double)lost / (lost + answered) : 0);
        if (p > 0 && silentPorts > 0 && settings.MaxRetries > 0)
        {
            tries = Math.Max(tries, (int)Math.Ceiling(Math.Log(MissedAnswers / Answering) / Math.Log(p)));
        }
        return _finalTries = Math.Min(settings.MaxRetries + 1, tries);
    }

    /// <summary>
    /// The answering ports the final verdicts must allow for: those seen, plus one. A chunk's verdicts
    /// come before the host's other chunks, so a chunked timing allows for the most a host can
    /// have, every port: decided on the first chunk's few answers, 16 chunks of the 5 %-loss lab
    /// each gave one try too few, and one scan in 34 called a closed port filtered.
    /// </summary>
    private double Answering => chunked ? PortRange.MaxPort + 1 : _answered + 1;

    /// <summary>The expected number of answering ports a host's final verdicts may miss: one scan in a thousand.</summary>
    private const double MissedAnswers = 0.001;

    private int _finalTries;
    private int _answered;

    /// <summary>Silent tries a port gets at most, refunds included: twice what --max-retries allows.</summary>
    public int HardCap => 2 * (settings.MaxRetries + 1);

    public int Probes { get; private set; }

    public int Retries { get; private set; }

    /// <summary>Probes shown lost, ours included: the first one arms the canaries.</summary>
    public int Drops { get; private set; }

    /// <summary>
    /// Probes the network lost: tries of answered ports that went unanswered, less those lost to
    /// our own pace (refunded). The evidence for how many tries a silent port is worth, and the
    /// figure the reports show.
    /// </summary>
    public int NetworkDrops => _lostTries + _udpDrops;

    private int _lostTries;
    private int _udpDrops;

    /// <summary>One probe in this many is a canary, once the host has shown loss: 6 % more probes, on lossy hosts only.</summary>
    public const int CanaryEvery = 16;

    private int _sinceCanary;

    /// <summary>A port of this host known to answer: a closed one if any (an open one costs a handshake).</summary>
    public int? CanaryPort { get; private set; }

    private bool _canaryClosed;

    /// <summary>Time for a canary: the host has lost probes, has a port known to answer, and enough probes went by.</summary>
    /// <remarks>
    /// Also one every <see cref="CanaryInterval"/> whatever the pace: at a slow pace one in sixteen
    /// would take seconds to make a window's worth of evidence, and a pace cut too deep would climb
    /// back only as fast as evidence comes in.
    /// </remarks>
    public bool CanaryDue => Drops > 0 && CanaryPort is not null
        && (_sinceCanary >= CanaryEvery || Stopwatch.GetTimestamp() - _lastCanary >= CanaryInterval);

    private static readonly long CanaryInterval = Stopwatch.Frequency / 200;
    private long _lastCanary;

    /// <summary>The window a probe sent now belongs to, counted in the host's figures.</summary>
    public ProbeWindow Sent(bool retry)
    {
        Count(retry);
        _sinceCanary++;
        return Congestion.OnSend(Stopwatch.GetTimestamp());
    }

    /// <summary>A canary goes out: its window waits for its fate.</summary>
    public ProbeWindow CanarySent()
    {
        Count(retry: false);
        (_sinceCanary, _lastCanary) = (0, Stopwatch.GetTimestamp());
        var window = Congestion.OnSend(Stopwatch.GetTimestamp());
        window.CanarySent();
        return window;
    }

    /// <summary>Counts a probe in the host's figures only: for the UDP engine, whose passes do their own pacing.</summary>
    public void Count(bool retry)
    {
        if (_firstProbe == 0)
        {
            _firstProbe = Stopwatch.GetTimestamp();
        }
        Probes++;
        Retries += retry ? 1 : 0;
    }

    /// <summary>A UDP port silent in one pass answered in a later one: the earlier probe or its answer was lost.</summary>
    public void LostEarlier()
    {
        Drops++;
        _udpDrops++;
    }

    /// <summary>
    /// A port answered (<paramref name="closed"/>: with a reset); if it had gone silent before,
    /// those tries were lost, and that is evidence for how many tries a silent port is worth.
    /// </summary>
    public void Answered(int portNumber, bool closed, PortProbe? port, long rttTicks)
    {
        if (rttTicks > 0)
        {
            Rtt.Add(rttTicks);
        }
        _answered++;
        if (CanaryPort is null || (closed && !_canaryClosed))
        {
            (CanaryPort, _canaryClosed) = (portNumber, closed);
        }
        if (port is null)
        {
            return;
        }
        port.Finished = true;
        Drops += port.SilentTries;
        _lostTries += port.CountedTries;
        _recovered.Add(port);
        _maxAnsweredTry = Math.Max(_maxAnsweredTry, port.CountedTries + 1);
    }

    /// <summary>A probe in <paramref name="window"/> timed out: what becomes of its port.</summary>
    public Silence TimedOut(ProbeWindow window, PortProbe port)
    {
        port.CountedTries++;
        port.SilentTries++;
        window.Silent.Add(port);
        if (port.CountedTries < AllowedTries && port.SilentTries < HardCap)
        {
            return Silence.TryAgain;
        }
        if (settings.MaxRetries == 0)
        {
            // One try is all it can ever get (the article's timing): no evidence can change that.
            return Silence.Filtered;
        }
        port.Parked = true;
        return Silence.Park;
    }

    /// <summary>
    /// Judges the windows whose evidence is in (all of them at the host's end); parked ports that
    /// got a try back are handed to <paramref name="retry"/>. Returns why the pace changed, if it did.
    /// </summary>
    public string? Judge(bool hostEnd, Action<PortProbe> retry)
    {
        var refunded = false;
        var change = Congestion.Judge(Stopwatch.GetTimestamp(), hostEnd, TimeoutTicks + CongestionControl.WindowTicks, port =>
        {
            refunded = true;
            if (port.Parked)
            {
                port.Parked = false;
                retry(port);
            }
        });
        if (refunded)
        {
            // Refunds lower what the evidence says: recount it.
            (_maxAnsweredTry, _lostTries) = (1, 0);
            foreach (var port in _recovered)
            {
                _maxAnsweredTry = Math.Max(_maxAnsweredTry, port.CountedTries + 1);
                _lostTries += port.CountedTries;
            }
        }
        Pacer.PerSecond = Congestion.Rate;
        return change;
    }

    /// <summary>This worker gave the host up (--host-timeout) and said so: it probes and reports it no more.</summary>
    public bool GivenUp { get; set; }

    /// <summary>
    /// The host's time is up: --host-timeout has passed since this worker's first probe to it, or
    /// another worker of the host gave it up first (the coordinator said so).
    /// </summary>
    public bool TimeIsUp(long now) => GivenUpElsewhere || (_hostTimeoutTicks > 0 && _firstProbe > 0 && now - _firstProbe >= _hostTimeoutTicks);

    /// <summary>Ticks until the host's time is up by this worker's clock; long.MaxValue without a clock running.</summary>
    public long TicksToTimeUp(long now) => _hostTimeoutTicks > 0 && _firstProbe > 0 ? _firstProbe + _hostTimeoutTicks - now : long.MaxValue;

    /// <summary>The coordinator said another worker gave the host up: its time is up here too, started or not.</summary>
    public bool GivenUpElsewhere { get; private set; }

    public void GiveUpElsewhere() => GivenUpElsewhere = true;

    // What this worker last told the coordinator, and what the other workers of this host have seen together.
    private int _toldSamples;
    private int _toldDrops;
    private int _otherDrops;
    private int _otherAnswers;

    /// <summary>
    /// Worth telling the coordinator, which passes it on to the other workers of this host: its
    /// round-trip time once it has <paramref name="samples"/> answers, and its losses each time they double.
    /// </summary>
    public bool NewsFor(int samples)
    {
        var timed = _toldSamples < samples && Rtt.Samples >= samples;
        var lossy = NetworkDrops > 0 && (_toldDrops == 0 || NetworkDrops >= 2 * _toldDrops);
        var news = timed || lossy;
        if (news)
        {
            (_toldSamples, _toldDrops) = (Rtt.Samples, NetworkDrops);
        }
        return news;
    }

    /// <summary>Too few answers, here and from the other workers, to tell whether the host loses probes: under 100, a 5 % loss can hide.</summary>
    public bool EvidenceIsThin => Drops == 0 && _otherDrops == 0 && _answered + _otherAnswers < 100;

    /// <summary>
    /// What the other workers of this host have seen, together (a timing hint from the coordinator):
    /// their round-trip time until this worker has its own, and their losses as evidence for how many
    /// tries a silent port here is worth. A slice of ten open ports and a thousand filtered ones
    /// cannot see a 5 % loss by itself; the slice of the host's closed ports can.
    /// </summary>
    public void Seed(TimingMessage hint)
    {
        if (Rtt.Samples == 0 && hint.RttSamples > 0)
        {
            var ticks = Stopwatch.Frequency / 1000.0;
            Rtt.Seed(hint.SrttMs * ticks, hint.RttVarMs * ticks);
        }
        (_otherDrops, _otherAnswers) = (hint.Drops, hint.RttSamples);
    }

    public TimingMessage Describe()
    {
        var tick = 1000.0 / Stopwatch.Frequency;
        return new TimingMessage(Target.Text,
            Math.Round(Rtt.SmoothedTicks * tick, 3),
            Math.Round(Rtt.VarianceTicks * tick, 3),
            (int)Math.Round(TimeoutTicks * tick),
            Rtt.Samples, Probes, Retries, NetworkDrops, Math.Max(AllowedTries, _finalTries));
    }

    private static long Ticks(int milliseconds) => milliseconds * Stopwatch.Frequency / 1000;
}
