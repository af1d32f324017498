using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Worker.Native;
using PortScan.Worker.Probing;
using PortScan.Worker.Timing;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker;

/// <summary>
/// The connect-scan engine: one thread, non-blocking connects, epoll for the ones in flight.
/// The work is walked in order, host by host; connects to several hosts share one epoll set and
/// one concurrency limit, so a slow host's timeouts overlap the next host's connects.
/// <para>
/// Each host has its own timing (<see cref="HostTiming"/>): a connect waits the host's adaptive
/// timeout; a port that stays silent is tried again with a fresh connect, as many times as the
/// host's evidence says is worth it; connects to a host are paced when its congestion control has
/// seen loss of our own making. A port that has used up its tries is parked until the host's work
/// is done, then tried again if the evidence by then allows more, and only then called filtered.
/// </para>
/// <para>
/// --host-timeout: when a host's time is up (<see cref="HostTiming.TimeIsUp"/>), its decided ports
/// have been reported, and everything else of it is dropped: connects in flight, retries, parked
/// ports, ports not started. A <see cref="HostTimeoutMessage"/> tells the coordinator they are unscanned.
/// </para>
/// <para>
/// At most <c>concurrency</c> connects are outstanding. With concurrency 1 and a fixed timeout
/// (<see cref="ProbeSettings.Fixed"/>) this is the original article's scanner: one connect at a
/// time, each waiting up to the timeout, once.
/// </para>
/// <para>
/// A refused socket returns to the TCP CLOSE state and Linux lets it connect again, so refused
/// sockets are reused. On loopback the SYN and its RST are handled inside the connect() call, so
/// asking again at once (a second connect()) usually settles the port with no epoll round trip.
/// </para>
/// <para>
/// With banners (<c>--banners</c>) an open port's socket stays in the epoll set, now waiting to
/// read, until the service says something, hangs up or the banner wait ends; nothing is ever sent
/// to it. A socket waiting for a banner holds a descriptor, so it counts against the concurrency.
/// </para>
/// </summary>
internal sealed unsafe class ConnectScanner : IDisposable
{
    // Longest single wait, so a stop request and the congestion control's windows are looked at promptly.
    private const int MaxWaitUs = 100_000;

    private const int StartBatch = 256;

    // Answers before a host's round-trip time is worth telling other workers: RFC 6298's estimate settles within a few.
    private const int AnnounceAfter = 8;

    private readonly long _bannerTicks;
    private readonly HostTimings _timings;
    private readonly TimingHints _hints;
    private readonly AttemptPacer _pacer;
    private readonly EpollSet _epoll = new();
    // Refused sockets ready for another connect, one stack per address family (IPv4, IPv6).
    private readonly Stack<int> _reusable4 = new();
    private readonly Stack<int> _reusable6 = new();
    private readonly InFlightProbes<InFlight> _inFlight = new();
    // Banner reads all wait the same, so their deadlines are in FIFO order.
    private readonly Queue<(int Fd, long Sequence)> _bannerDeadlines = new();
    // Probes to send again with no try counted: a resource shortage or a self-connect was no answer.
    private readonly Queue<(HostWork Work, int Port, PortProbe? Probe)> _again = new();
    private readonly Dictionary<HostTiming, HostWork> _hosts = [];
    // Hosts started and not finished: few at a time, since the work is walked host by host.
    private readonly List<HostWork> _open = [];
    private readonly ResourceShortage _shortage = new();
    private long _sequence;
    private int _limit;
    private PlanCursor? _cursor;

    // For the estimate of the time left (WorkEstimate): what recent first tries met, what the engine's own work costs.
    // Recent: ports are scanned in order and a firewall's ports come in blocks, so the last few say most about the next.
    private const double SilentWeight = 1.0 / 4;
    // Until first tries come back, a port is assumed silent: an answer comes within a round trip and corrects it at once.
    private double _silentShare = 1;
    private long _scanStart;
    private long _waitedTicks;
    private long _probesSent;
    private long _lastSentAt;

    /// <param name="Probe">The port's try history; null for a first try (most ports never need one).</param>
    /// <param name="StartedAt">When the connect (or, when <paramref name="Reading"/>, the banner wait) began.</param>
    /// <param name="RttMs">The handshake's time, kept while the banner is awaited.</param>
    /// <param name="Canary">A probe to a port known to answer, telling the congestion control whether probes are being lost.</param>
    private readonly record struct InFlight(HostWork Work, int Port, long StartedAt, long Sequence, ProbeWindow Window, PortProbe? Probe,
        bool Canary, bool Reading = false, double RttMs = 0) : IInFlight
    {
        public HostTiming Host => Work.Timing;

        public long SentAt => StartedAt;
    }

    /// <summary>One host's part of this engine's work: what is left to start, in flight, to retry, parked.</summary>
    private sealed class HostWork(HostTiming timing, int ports)
    {
        public HostTiming Timing { get; } = timing;
        public int Unstarted { get; set; } = ports;
        public int InFlight { get; set; }
        public int Again { get; set; }
        public bool Started { get; set; }
        /// <summary>When the wait for other workers' evidence ends (a Stopwatch timestamp); 0 before it starts.</summary>
        public long HeldUntil { get; set; }
        public Queue<PortProbe> Retries { get; } = new();
        public List<PortProbe> Parked { get; } = [];

        public bool Quiet => Unstarted == 0 && InFlight == 0 && Again == 0 && Retries.Count == 0;
    }

    public ConnectScanner(ProbeSettings settings, AttemptPacer pacer, HostTimings timings, TimingHints hints)
    {
        _timings = timings;
        _hints = hints;
        _bannerTicks = settings.BannerMs * Stopwatch.Frequency / 1000;
        _pacer = pacer;
        _limit = settings.Concurrency;
    }

    /// <summary>Connects to every (host, port) of <paramref name="plan"/>, reporting each outcome to <paramref name="sink"/>.</summary>
    public void Scan(IReadOnlyList<(HostTiming Host, PortSet Ports)> plan, IPortResultSink sink, CancellationToken cancellationToken)
    {
        var steps = new List<(HostWork, PortSet)>(plan.Count);
        foreach (var (host, ports) in plan)
        {
            if (_hosts.TryGetValue(host, out var known))
            {
                known.Unstarted += ports.Count;
            }
            else
            {
                known = new HostWork(host, ports.Count);
                _hosts[host] = known;
            }
            steps.Add((known, ports));
        }
        var cursor = new PlanCursor(steps);
        _cursor = cursor;
        _scanStart = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            _hints.ApplyTo(_timings);
            GiveUpTimedOut(cursor, sink);
            var (paced, shortage) = StartWhatIsDue(cursor, sink);
            // Before deciding to wait: a host whose last port just settled is finished now, not after a nap.
            Review(sink);
            if (_inFlight.Count == 0 && !cursor.HasNext && _again.Count == 0 && _open.Count == 0)
            {
                break;
            }
            if (shortage)
            {
                // Never guess a state from a resource error: wait for in-flight connects to free
                // descriptors and send again. Lower the limit only if connects are in flight.
                if (_inFlight.Count == 0)
                {
                    _shortage.WaitWithNothingInFlight(sink);
                    continue;
                }
                _limit = Math.Max(1, _inFlight.Count);
            }
            else
            {
                _shortage.Clear();
            }

            // Block only when nothing new can be started (or its slot is not due); flush first so
            // results are never held back by a wait.
            var canStartMore = !paced && !shortage && _inFlight.Count < _limit && (cursor.HasNext || _again.Count > 0 || AnyRetries());
            var wait = canStartMore ? 0 : Math.Min(MaxWaitUs, MicrosecondsToNextEvent(paced, cursor));
            if (wait > 0)
            {
                sink.Flush();
            }
            Poll(wait, sink);
            Expire(sink);
        }
        sink.Flush();
    }

    /// <summary>The work left and what it costs, for the worker's estimate of its remaining time; null before the scan starts.</summary>
    public WorkEstimate? Estimate()
    {
        if (_cursor is not { } cursor)
        {
            return null;
        }
        // The host under way stands for the rest: a slice's hosts are neighbours, and mostly alike.
        var current = cursor.HasNext ? cursor.Work : _open.Count > 0 ? _open[^1] : null;
        if (current is null)
        {
            return default(WorkEstimate);
        }
        long unstarted = 0, queued = _again.Count, inFlight = 0;
        foreach (var work in _hosts.Values)
        {
            unstarted += work.Unstarted;
            queued += work.Retries.Count;
            inFlight += work.InFlight;
        }
        var now = Stopwatch.GetTimestamp();
        var tick = 1.0 / Stopwatch.Frequency;
        var timing = current.Timing;
        var timeout = timing.TimeoutTicks * tick;
        var rate = (_pacer.PerSecond, timing.Pacer.PerSecond) switch
        {
            ( > 0 and var scan, > 0 and var host) => Math.Min(scan, host),
            (var scan, var host) => Math.Max(scan, host),
        };
        // The end of a host whose evidence is thin waits two timeouts for other workers' (HeldForEvidence).
        var hold = current.HeldUntil > now ? (current.HeldUntil - now) * tick
            : current.HeldUntil == 0 && timing.EvidenceIsThin && (current.Parked.Count > 0 || _silentShare > 0.01) ? 2 * timeout
            : 0;
        var busy = now - _scanStart - _waitedTicks;
        return new WorkEstimate(unstarted, queued, inFlight, (_lastSentAt + timing.TimeoutTicks - now) * tick, SilentShare(timing, now),
            timing.AllowedTries, timeout, timing.Rtt.Samples > 0 ? timing.Rtt.SmoothedTicks * tick : timeout, _limit, rate,
            _probesSent > 0 ? busy * tick / _probesSent : 0, hold);
    }

    /// <summary>
    /// The share of first tries that go unanswered, counting those still out well past the host's
    /// round trip as the silent ones they almost surely are: they are the newest evidence, and at a
    /// high concurrency the only evidence for a timeout's worth of time.
    /// </summary>
    private double SilentShare(HostTiming timing, long now)
    {
        var overdue = timing.Rtt.Samples > 0 ? timing.Rtt.SmoothedTicks + (4 * timing.Rtt.VarianceTicks) : timing.TimeoutTicks / 4.0;
        var stale = 0;
        foreach (var fd in _inFlight.Descriptors)
        {
            if (_inFlight.TryGet(fd, out var entry) && entry.Probe is null && !entry.Canary && !entry.Reading && now - entry.StartedAt > overdue)
            {
                stale++;
            }
        }
        return (stale + (_silentShare / SilentWeight)) / (stale + (1 / SilentWeight));
    }

    /// <summary>
    /// Starts connects while the concurrency, the scan's pacer and the hosts' pacers allow: ports to
    /// send again first, then retries, then new ports; a canary whenever one of the host's is due.
    /// </summary>
    private (bool Paced, bool Shortage) StartWhatIsDue(PlanCursor cursor, IPortResultSink sink)
    {
        // A bounded batch: filling 16,384 slots takes half a second of connect() calls on a real
        // link, and timeouts, retries and the congestion control's verdicts must not wait that long.
        for (var started = 0; started < StartBatch && _inFlight.Count < _limit; started++)
        {
            if (!_pacer.Ready)
            {
                return (true, false);
            }
            var work = _again.Count > 0 ? _again.Peek().Work : ReadyRetry() ?? (cursor.HasNext ? cursor.Work : null);
            if (work is null)
            {
                return (AnyRetries(), false);
            }
            if (!work.Timing.Pacer.Ready)
            {
                return (true, false);
            }
            int port;
            PortProbe? probe = null;
            var canary = work.Timing.CanaryDue;
            if (canary)
            {
                port = work.Timing.CanaryPort!.Value;
            }
            else if (_again.Count > 0)
            {
                (_, port, probe) = _again.Dequeue();
                work.Again--;
            }
            else if (work.Retries.Count > 0)
            {
                probe = work.Retries.Dequeue();
                port = probe.Port;
            }
            else if (!work.Started && work.Timing.GivenUpElsewhere)
            {
                // Another worker gave this host up before this one reached it: none of its ports are started.
                GiveUp(work, cursor, sink);
                continue;
            }
            else
            {
                port = cursor.Take();
                work.Unstarted--;
                if (!work.Started)
                {
                    work.Started = true;
                    _open.Add(work);
                }
            }
            _pacer.Take();
            work.Timing.Pacer.Take();
            if (!TryStart(work, port, probe, canary, sink))
            {
                if (!canary)
                {
                    _again.Enqueue((work, port, probe));
                    work.Again++;
                }
                return (false, true);
            }
        }
        return (false, false);
    }

    private HostWork? ReadyRetry() => _open.Find(w => w.Retries.Count > 0 && w.Timing.Pacer.Ready);

    private bool AnyRetries() => _open.Exists(w => w.Retries.Count > 0);

    private Stack<int> Reusable(TargetSocketAddress address) => address.Family == AfInet ? _reusable4 : _reusable6;

    /// <summary>Starts one connect; false when the process is out of descriptors or ports for now.</summary>
    private bool TryStart(HostWork work, int port, PortProbe? probe, bool canary, IPortResultSink sink)
    {
        var socketAddress = work.Timing.Target.SocketAddress;
        var reusable = Reusable(socketAddress);
        var fd = reusable.Count > 0 ? reusable.Pop() : Socket(socketAddress.Family, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            var error = LastError;
            return SocketErrors.IsShortage(error) ? false : throw new ScanFailedException($"socket() failed (errno {error})");
        }

        var startedAt = Stopwatch.GetTimestamp();
        var address = socketAddress.WithPort(port);
        int result;
        fixed (byte* sockaddr = address)
        {
            result = Connect(fd, sockaddr, socketAddress.Length);
            if (result != 0 && LastError == EINPROGRESS)
            {
                // Loopback usually settles inside the first call: ask again before involving epoll.
                result = Connect(fd, sockaddr, socketAddress.Length);
            }
        }
        var errno = result == 0 ? 0 : LastError;
        if (SocketErrors.IsShortage(errno))
        {
            Close(fd);
            return false;
        }

        _probesSent++;
        _lastSentAt = startedAt;
        // A canary is the congestion control's, not the scan's: it never holds up a host's end.
        var window = canary ? work.Timing.CanarySent() : work.Timing.Sent(retry: probe is not null);
        work.InFlight += canary ? 0 : 1;
        var entry = new InFlight(work, port, startedAt, ++_sequence, window, probe, canary);
        if (errno is EALREADY or EINPROGRESS)
        {
            _epoll.Add(fd, EpollOut | EpollErr | EpollHup);
            _inFlight.Add(fd, entry);
            return true;
        }
        Settle(fd, entry, errno, registered: false, sink);
        return true;
    }

    private void Poll(int waitUs, IPortResultSink sink)
    {
        var before = Stopwatch.GetTimestamp();
        if (_inFlight.Count == 0)
        {
            // Nothing to wait for but a pacer's next slot.
            if (waitUs > 0)
            {
                EpollSet.Sleep(waitUs);
                _waitedTicks += Stopwatch.GetTimestamp() - before;
            }
            return;
        }
        var ready = _epoll.Wait(waitUs);
        if (waitUs > 0)
        {
            _waitedTicks += Stopwatch.GetTimestamp() - before;
        }
        for (var i = 0; i < ready; i++)
        {
            var fd = _epoll.ReadyFd(i);
            if (!_inFlight.Remove(fd, out var entry))
            {
                continue;
            }
            if (entry.Reading)
            {
                ReadBanner(fd, entry, sink);
                continue;
            }
            // A second connect() reports the outcome: 0 when established, else the socket error.
            int result;
            var socketAddress = entry.Work.Timing.Target.SocketAddress;
            fixed (byte* sockaddr = socketAddress.WithPort(entry.Port))
            {
                result = Connect(fd, sockaddr, socketAddress.Length);
            }
            var errno = result == 0 ? 0 : LastError;
            if (errno is EALREADY or EINPROGRESS)
            {
                // An ICMP error that came while connect() held the socket (on loopback: within the
                // call that sent the SYN) is kept as a soft error: the connect goes on, epoll keeps
                // reporting it, and only SO_ERROR tells it, where nmap's connect scan reads it too.
                if (PendingError(fd) is var soft && SocketErrors.IsUnreachable(soft))
                {
                    Settle(fd, entry, soft, registered: true, sink);
                    continue;
                }
                _inFlight.Restore(fd, entry); // spurious wake-up: still connecting
                continue;
            }
            Settle(fd, entry, errno, registered: true, sink);
        }
    }

    private void Settle(int fd, InFlight entry, int errno, bool registered, IPortResultSink sink)
    {
        var (work, port) = (entry.Work, entry.Port);
        if (entry.Probe is null && !entry.Canary && !SocketErrors.IsShortage(errno))
        {
            _silentShare -= _silentShare * SilentWeight;
        }
        var timing = work.Timing;
        var rtt = Stopwatch.GetTimestamp() - entry.StartedAt;
        switch (errno)
        {
            case 0 or EISCONN:
                if (TargetSocketAddress.IsSelfConnected(fd))
                {
                    // No listener: the socket met itself. Send again from another source port; no try counted.
                    Abort(fd);
                    Unsent(entry);
                    return;
                }
                if (entry.Canary)
                {
                    Abort(fd);
                    entry.Window.CanaryAnswered();
                    return;
                }
                timing.Answered(port, closed: false, entry.Probe, rtt);
                var rttMs = rtt * 1000.0 / Stopwatch.Frequency;
                if (_bannerTicks > 0)
                {
                    AwaitBanner(fd, entry with { RttMs = rttMs }, registered);
                    return;
                }
                Abort(fd);
                work.InFlight--;
                sink.Report(timing.Target, Transport.Tcp, port, PortState.Open, rttMs);
                return;
            case ECONNREFUSED:
                if (registered)
                {
                    _epoll.Remove(fd);
                }
                Keep(fd, timing.Target.SocketAddress);
                if (entry.Canary)
                {
                    entry.Window.CanaryAnswered();
                    return;
                }
                timing.Answered(port, closed: true, entry.Probe, rtt);
                work.InFlight--;
                sink.Report(timing.Target, Transport.Tcp, port, PortState.Closed, 0);
                return;
            case var error when error is ETIMEDOUT or ECONNRESET || SocketErrors.IsUnreachable(error):
                // An ICMP unreachable or a local firewall: nmap's filtered, and no sign of loss.
                Close(fd);
                if (entry.Canary)
                {
                    entry.Window.CanaryAnswered();
                    return;
                }
                work.InFlight--;
                sink.Report(timing.Target, Transport.Tcp, port, PortState.Filtered, 0, reason: SocketErrors.Reason(errno));
                return;
            case var error when SocketErrors.IsShortage(error):
                Close(fd);
                Unsent(entry);
                return;
            default:
                Close(fd);
                throw new ScanFailedException($"connect to {timing.Target.Text} port {port} failed with errno {errno}");
        }
    }

    /// <summary>A connect that never reached the host: a port's is sent again, a canary's is forgotten.</summary>
    private void Unsent(InFlight entry)
    {
        if (entry.Canary)
        {
            entry.Window.CanaryUnsent();
            return;
        }
        entry.Work.InFlight--;
        entry.Work.Again++;
        _again.Enqueue((entry.Work, entry.Port, entry.Probe));
    }

    /// <summary>Keeps an open port's socket, now waiting to read what the service says first.</summary>
    private void AwaitBanner(int fd, InFlight connected, bool registered)
    {
        const uint readable = EpollIn | EpollRdHup | EpollErr | EpollHup;
        if (registered)
        {
            _epoll.Modify(fd, readable);
        }
        else
        {
            _epoll.Add(fd, readable);
        }
        // A new sequence: the host's connect deadline for this descriptor no longer applies.
        var sequence = ++_sequence;
        _inFlight.Restore(fd, connected with { StartedAt = Stopwatch.GetTimestamp(), Sequence = sequence, Reading = true });
        _bannerDeadlines.Enqueue((fd, sequence));
    }

    /// <summary>The service spoke (or hung up): read what is there, up to <see cref="Banner.MaxBytes"/>, and settle the port.</summary>
    private static void ReadBanner(int fd, InFlight entry, IPortResultSink sink)
    {
        var buffer = stackalloc byte[Banner.MaxBytes];
        var length = 0;
        while (length < Banner.MaxBytes)
        {
            var read = (int)Recv(fd, buffer + length, Banner.MaxBytes - length, 0);
            if (read <= 0)
            {
                break; // hung up, reset, or nothing more for now: a greeting is what came in one go
            }
            length += read;
        }
        Abort(fd);
        entry.Work.InFlight--;
        var banner = Banner.Escape(new ReadOnlySpan<byte>(buffer, length));
        sink.Report(entry.Work.Timing.Target, Transport.Tcp, entry.Port, PortState.Open, entry.RttMs, banner.Length > 0 ? banner : null);
    }

    private void Expire(IPortResultSink sink)
    {
        var now = Stopwatch.GetTimestamp();
        while (_inFlight.TryExpire(now, out var fd, out var silent))
        {
            Recycle(fd, silent.Work.Timing.Target.SocketAddress);
            var work = silent.Work;
            if (silent.Canary)
            {
                silent.Window.CanaryLost();
                continue;
            }
            work.InFlight--;
            if (silent.Probe is null)
            {
                _silentShare += (1 - _silentShare) * SilentWeight;
            }
            var probe = silent.Probe ?? new PortProbe(silent.Port);
            switch (work.Timing.TimedOut(silent.Window, probe))
            {
                case Silence.TryAgain:
                    work.Retries.Enqueue(probe);
                    break;
                case Silence.Park:
                    work.Parked.Add(probe);
                    break;
                default:
                    probe.Finished = true;
                    sink.Report(work.Timing.Target, Transport.Tcp, probe.Port, PortState.Filtered, 0);
                    break;
            }
        }
        while (_bannerDeadlines.TryPeek(out var head))
        {
            if (!_inFlight.TryGet(head.Fd, out var reading) || reading.Sequence != head.Sequence)
            {
                _bannerDeadlines.Dequeue(); // read already
                continue;
            }
            if (now - reading.StartedAt < _bannerTicks)
            {
                break;
            }
            // Open, and said nothing within the wait: many services (HTTP) wait for the client.
            _bannerDeadlines.Dequeue();
            _inFlight.Remove(head.Fd, out _);
            Abort(head.Fd);
            reading.Work.InFlight--;
            sink.Report(reading.Work.Timing.Target, Transport.Tcp, reading.Port, PortState.Open, reading.RttMs);
        }
    }

    /// <summary>
    /// Lets each open host's congestion control judge the evidence that is in, and finishes hosts
    /// whose work is done: once every window is judged, parked ports the evidence now allows
    /// another try go back in the queue; the rest are filtered.
    /// </summary>
    private void Review(IPortResultSink sink)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var work = _open[i];
            var timing = work.Timing;
            var quiet = work.Quiet;
            if (timing.Judge(hostEnd: quiet, work.Retries.Enqueue) is { } change)
            {
                sink.Tell(new RateMessage(timing.Target.Text, Math.Round(timing.Congestion.Rate, 1), change));
            }
            if (timing.NewsFor(AnnounceAfter))
            {
                // Other workers of this host may have no answer to time it by, or too few to see its
                // loss: the coordinator passes this on.
                sink.Tell(timing.Describe());
            }
            if (!quiet || work.Retries.Count > 0)
            {
                continue;
            }
            var allowed = timing.FinalTries(work.Parked.Count(p => p.Parked));
            foreach (var probe in work.Parked)
            {
                if (probe.Parked && probe.CountedTries < allowed && probe.SilentTries < timing.HardCap)
                {
                    probe.Parked = false;
                    work.Retries.Enqueue(probe);
                }
            }
            if (work.Retries.Count > 0 || HeldForEvidence(work))
            {
                continue;
            }
            foreach (var probe in work.Parked)
            {
                // A port parked, refunded and parked again stands in the list twice: report it once.
                if (probe.Parked)
                {
                    (probe.Parked, probe.Finished) = (false, true);
                    sink.Report(timing.Target, Transport.Tcp, probe.Port, PortState.Filtered, 0);
                }
            }
            work.Parked.Clear();
            _open.RemoveAt(i);
        }
    }

    /// <summary>Gives up each started host whose time is up (--host-timeout).</summary>
    private void GiveUpTimedOut(PlanCursor cursor, IPortResultSink sink)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (_open[i].Timing.TimeIsUp(now))
            {
                GiveUp(_open[i], cursor, sink);
            }
        }
    }

    /// <summary>
    /// Ends a host's scan in this worker: an open port awaiting its banner is reported open (the
    /// handshake was its answer), every other probe in flight is dropped with its retries, parked
    /// ports and ports not started, and the coordinator is told, if any port was left unreported.
    /// </summary>
    private void GiveUp(HostWork work, PlanCursor cursor, IPortResultSink sink)
    {
        var timing = work.Timing;
        var dropped = 0;
        // Only when a host times out: a walk over the probes in flight is cheap beside that.
        foreach (var fd in _inFlight.Descriptors.ToList())
        {
            if (!_inFlight.TryGet(fd, out var entry) || entry.Work != work)
            {
                continue;
            }
            _inFlight.Remove(fd, out _);
            if (entry.Reading)
            {
                Abort(fd);
                sink.Report(timing.Target, Transport.Tcp, entry.Port, PortState.Open, entry.RttMs);
                continue;
            }
            if (entry.Canary)
            {
                entry.Window.CanaryUnsent();
            }
            else
            {
                dropped++;
            }
            Recycle(fd, timing.Target.SocketAddress);
        }
        var unreported = dropped > 0 || work.Unstarted > 0 || work.Again > 0 || work.Retries.Count > 0 || work.Parked.Exists(p => p.Parked);
        if (work.Again > 0)
        {
            var others = _again.Where(again => again.Work != work).ToList();
            _again.Clear();
            others.ForEach(_again.Enqueue);
        }
        (work.Unstarted, work.InFlight, work.Again) = (0, 0, 0);
        work.Retries.Clear();
        work.Parked.Clear();
        timing.GivenUp = true;
        _open.Remove(work);
        cursor.SkipGivenUp();
        if (unreported)
        {
            sink.Tell(new HostTimeoutMessage(timing.Target.Text));
        }
    }

    /// <summary>
    /// A host whose own answers are too few to show a loss (and no other worker's have) keeps its
    /// silent ports a little longer, for the other workers of the host to pass on what they saw:
    /// ten answering ports in a slice cannot tell a clean host from one that loses 5 % of probes,
    /// the slice with its thousand closed ports can. At most two timeouts, once.
    /// </summary>
    private static bool HeldForEvidence(HostWork work)
    {
        if (!work.Parked.Exists(p => p.Parked) || !work.Timing.EvidenceIsThin)
        {
            return false;
        }
        var now = Stopwatch.GetTimestamp();
        if (work.HeldUntil == 0)
        {
            work.HeldUntil = now + (2 * work.Timing.TimeoutTicks);
        }
        return now < work.HeldUntil;
    }

    private int MicrosecondsToNextEvent(bool paced, PlanCursor cursor)
    {
        var now = Stopwatch.GetTimestamp();
        var ticks = _inFlight.TicksToNextDeadline(now);
        while (_bannerDeadlines.TryPeek(out var head))
        {
            if (_inFlight.TryGet(head.Fd, out var reading) && reading.Sequence == head.Sequence)
            {
                ticks = Math.Min(ticks, reading.StartedAt + _bannerTicks - now);
                break;
            }
            _bannerDeadlines.Dequeue();
        }
        foreach (var work in _open)
        {
            // Wake when a host's time is up, so --host-timeout holds to the millisecond.
            ticks = Math.Min(ticks, Math.Max(0, work.Timing.TicksToTimeUp(now)));
        }
        var wait = ticks == long.MaxValue ? MaxWaitUs : WaitTime.Microseconds(ticks);
        if (paced)
        {
            var slot = _pacer.MicrosecondsUntilNext();
            var host = cursor.HasNext ? cursor.Work.Timing.Pacer.MicrosecondsUntilNext() : MaxWaitUs;
            foreach (var work in _open)
            {
                if (work.Retries.Count > 0)
                {
                    host = Math.Min(host, work.Timing.Pacer.MicrosecondsUntilNext());
                }
            }
            wait = Math.Min(wait, Math.Max(slot, host));
        }
        return wait;
    }

    /// <summary>
    /// A connect that timed out gives its socket back for the next one: connect(AF_UNSPEC) drops
    /// the pending SYN and returns the socket to the TCP CLOSE state, no reset sent. A new socket
    /// and a close cost 41 % of a filtered probe's kernel time (perf, an all-filtered slice).
    /// </summary>
    private void Recycle(int fd, TargetSocketAddress address)
    {
        _epoll.Remove(fd);
        if (Disconnect(fd) != 0)
        {
            Close(fd);
            return;
        }
        Keep(fd, address);
    }

    /// <summary>A socket in the CLOSE state, out of the epoll set, kept for another connect while there is room.</summary>
    private void Keep(int fd, TargetSocketAddress address)
    {
        var reusable = Reusable(address);
        if (reusable.Count < _limit)
        {
            reusable.Push(fd);
        }
        else
        {
            Close(fd);
        }
    }

    /// <summary>Closes with a reset (SO_LINGER 0): no TIME_WAIT left behind on either side for each open port.</summary>
    private static void Abort(int fd)
    {
        var linger = new Linger { OnOff = 1, Seconds = 0 };
        SetSockOpt(fd, SolSocket, SoLinger, &linger, sizeof(Linger));
        Close(fd);
    }

    /// <summary>Walks the plan's (host, ports) pairs one port at a time.</summary>
    private sealed class PlanCursor
    {
        private readonly List<(HostWork Work, PortSet Ports)> _steps;
        private int _step = -1;
        private IEnumerator<int>? _ports;

        public PlanCursor(List<(HostWork, PortSet)> steps)
        {
            _steps = steps;
            Advance();
        }

        public bool HasNext { get; private set; }

        /// <summary>The host of the next port; valid while <see cref="HasNext"/>.</summary>
        public HostWork Work => _steps[_step].Work;

        public int Take()
        {
            var port = _ports!.Current;
            HasNext = _ports.MoveNext() || Advance();
            return port;
        }

        /// <summary>Moves past the rest of the current host's ports when it has been given up.</summary>
        public void SkipGivenUp()
        {
            if (HasNext && Work.Timing.GivenUp)
            {
                Advance();
            }
        }

        private bool Advance()
        {
            while (++_step < _steps.Count)
            {
                if (_steps[_step].Work.Timing.GivenUp)
                {
                    continue; // a later stretch of a host already given up
                }
                _ports = _steps[_step].Ports.Ports().GetEnumerator();
                if (_ports.MoveNext())
                {
                    return HasNext = true;
                }
            }
            return HasNext = false;
        }
    }

    public void Dispose()
    {
        _inFlight.CloseAll();
        foreach (var fd in _reusable4.Concat(_reusable6))
        {
            Close(fd);
        }
        _epoll.Dispose();
    }
}
