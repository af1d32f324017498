using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Worker.Native;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker;

/// <summary>
/// The UDP engine: one connected UDP socket a probe, so the kernel hands each socket its own
/// answer. A reply makes the port <c>open</c>; an ICMP port-unreachable, which Linux reports on a
/// connected socket as ECONNREFUSED, makes it <c>closed</c>; another ICMP unreachable makes it
/// <c>filtered</c>; silence is <c>open|filtered</c>, nmap's word and meaning.
/// <para>
/// Silence is only believed after retries, because Linux rate-limits the ICMP errors a host sends
/// (1 a second to each peer after a burst of 6, icmp_ratelimit): a closed port whose ICMP was
/// suppressed looks exactly like an open one. So ports are probed in passes. Each pass sends to the
/// ports still silent, paced below the rate at which answers came back in the pass before, and waits
/// for the stragglers. The scan ends when every port has answered, or when two passes in a row
/// bring no new answer: only then are the silent ports reported <c>open|filtered</c>. Every pass
/// before that settled at least one port, so the passes end. docs/design.md has the numbers.
/// </para>
/// <para>
/// How long to wait for an answer adapts as nmap's does: the smoothed round-trip time plus four
/// deviations (RFC 6298), at least <see cref="MinWaitMs"/> and at most the scan's timeout, which is
/// also the wait before the first answer.
/// </para>
/// </summary>
internal sealed unsafe class UdpScanner : IDisposable
{
    private const int MaxEvents = 256;
    private const int MaxWaitMs = 100;

    /// <summary>The least wait for an answer, nmap's --min-rtt-timeout default.</summary>
    public const int MinWaitMs = 100;

    /// <summary>Two quiet passes in a row end the scan; a single one could be a rate-limit accident.</summary>
    private const int QuietPassesToStop = 2;

    // The next pass is paced at this share of the rate answers came back at: below the limit, not at it.
    private const double PaceMargin = 0.8;

    private static readonly TimeSpan ResourceGiveUp = TimeSpan.FromSeconds(30);

    private readonly long _timeoutTicks;
    private readonly int _limit;
    private readonly AttemptPacer _pacer;
    private readonly int _epoll;
    private readonly byte[] _events = new byte[MaxEvents * EpollEventSize];
    private readonly Dictionary<int, Probe> _inFlight = [];
    private readonly Queue<(int Fd, long Sequence)> _sent = new();
    private long _sequence;

    // RFC 6298 estimator of the answer time, in Stopwatch ticks; 0 until the first answer.
    private double _smoothedRtt;
    private double _rttVariance;

    private readonly record struct Probe(ScanTarget Target, int Port, long SentAt, long Sequence);

    private sealed class Pass
    {
        public List<(ScanTarget Target, int Port)> Silent { get; } = [];
        public int Answered { get; set; }
        public long FirstSend { get; set; }
        public long LastAnswer { get; set; }
    }

    public UdpScanner(int timeoutMs, int concurrency, AttemptPacer pacer)
    {
        _timeoutTicks = timeoutMs * Stopwatch.Frequency / 1000;
        _limit = concurrency;
        _pacer = pacer;
        _epoll = EpollCreate1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new ScanFailedException($"epoll_create1 failed (errno {LastError})");
        }
    }

    /// <summary>Probes every (host, port), adding the outcomes to <paramref name="counts"/>.</summary>
    public void Scan(IEnumerable<(ScanTarget Target, int Port)> items, IPortResultSink sink, ScanCounts counts, CancellationToken cancellationToken)
    {
        List<(ScanTarget Target, int Port)> pending = [.. items];
        var passPacer = AttemptPacer.Unlimited;
        var quietPasses = 0;
        while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var pass = RunPass(pending, passPacer, sink, counts, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return; // unfinished ports stay unreported, so the coordinator knows they are unscanned
            }
            quietPasses = pass.Answered == 0 ? quietPasses + 1 : 0;
            if (quietPasses >= QuietPassesToStop)
            {
                foreach (var (target, port) in pass.Silent)
                {
                    counts.OpenFiltered++;
                    sink.Report(target, Transport.Udp, port, PortState.OpenFiltered, 0);
                }
                break;
            }
            if (pass.Answered > 0 && pass.Silent.Count > 0)
            {
                // Some answered and some did not: perhaps the host's ICMP budget ran out. Go slower.
                var seconds = Math.Max(0.001, (double)(pass.LastAnswer - pass.FirstSend) / Stopwatch.Frequency);
                var rate = PaceMargin * pass.Answered / seconds;
                passPacer = new AttemptPacer(passPacer.IsLimited ? Math.Min(passPacer.PerSecond, rate) : rate);
                // Let the budget refill for one slot before the next pass, in short naps so heartbeats go on.
                var resume = Stopwatch.GetTimestamp() + (long)(Math.Min(1 / passPacer.PerSecond, 5) * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < resume && !cancellationToken.IsCancellationRequested)
                {
                    sink.Flush();
                    Thread.Sleep(Math.Min(MaxWaitMs, Math.Max(1, (int)((resume - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency))));
                }
            }
            pending = pass.Silent;
        }
        sink.Flush();
    }

    /// <summary>Sends one probe to each pending port and waits for every answer or timeout.</summary>
    private Pass RunPass(List<(ScanTarget Target, int Port)> pending, AttemptPacer passPacer, IPortResultSink sink, ScanCounts counts, CancellationToken cancellationToken)
    {
        var pass = new Pass();
        var next = 0;
        var retry = new Queue<(ScanTarget Target, int Port)>();
        long starvedSince = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var starved = false;
            var paced = false;
            while (_inFlight.Count < _limit && (retry.Count > 0 || next < pending.Count))
            {
                if (!passPacer.Ready || !_pacer.Ready)
                {
                    paced = true;
                    break;
                }
                var item = retry.Count > 0 ? retry.Dequeue() : pending[next++];
                passPacer.Take();
                _pacer.Take();
                if (pass.FirstSend == 0)
                {
                    pass.FirstSend = Stopwatch.GetTimestamp();
                }
                switch (TrySend(item.Target, item.Port, sink, counts))
                {
                    case SendOutcome.Sent:
                        break;
                    case SendOutcome.Settled:
                        pass.Answered++;
                        pass.LastAnswer = Stopwatch.GetTimestamp();
                        break;
                    case SendOutcome.Again:
                        retry.Enqueue(item);
                        starved = true;
                        break;
                }
                if (starved)
                {
                    break;
                }
            }

            var more = retry.Count > 0 || next < pending.Count;
            if (_inFlight.Count == 0 && !more)
            {
                break;
            }
            if (starved && _inFlight.Count == 0)
            {
                starvedSince = starvedSince == 0 ? Stopwatch.GetTimestamp() : starvedSince;
                if (Stopwatch.GetElapsedTime(starvedSince) > ResourceGiveUp)
                {
                    throw new ScanFailedException("out of sockets or buffers with nothing in flight for 30 s");
                }
                sink.Flush();
                Thread.Sleep(10);
                continue;
            }
            starvedSince = 0;

            var wait = _inFlight.Count >= _limit || !more || starved ? Math.Min(MillisecondsToNextDeadline(), MaxWaitMs)
                : paced ? Math.Min(Math.Max(passPacer.MillisecondsUntilNext(), _pacer.MillisecondsUntilNext()), _inFlight.Count > 0 ? Math.Min(MillisecondsToNextDeadline(), MaxWaitMs) : MaxWaitMs)
                : 0;
            if (wait > 0)
            {
                sink.Flush();
            }
            Poll(wait, pass, sink, counts);
            Expire(pass);
        }
        return pass;
    }

    private enum SendOutcome
    {
        Sent,
        Settled,
        Again,
    }

    private SendOutcome TrySend(ScanTarget target, int port, IPortResultSink sink, ScanCounts counts)
    {
        var socketAddress = target.SocketAddress;
        var fd = Socket(socketAddress.Family, SockDgram | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            var error = LastError;
            return error is EMFILE or ENFILE or ENOBUFS or ENOMEM
                ? SendOutcome.Again
                : throw new ScanFailedException($"socket() failed (errno {error})");
        }
        int result;
        fixed (byte* sockaddr = socketAddress.WithPort(port))
        {
            result = Connect(fd, sockaddr, socketAddress.Length);
        }
        if (result == 0 && TargetSocketAddress.IsSelfConnected(fd))
        {
            // The kernel gave the socket the very port being probed: it would hear its own probe.
            Close(fd);
            return SendOutcome.Again;
        }
        if (result == 0)
        {
            var probe = UdpProbes.For(port);
            fixed (byte* data = probe)
            {
                result = (int)Send(fd, data, probe.Length, 0);
            }
        }
        var errno = result >= 0 ? 0 : LastError;
        switch (errno)
        {
            case 0:
                Watch(fd, target, port);
                return SendOutcome.Sent;
            case EAGAIN or ENOBUFS or ENOMEM or EADDRNOTAVAIL:
                Close(fd);
                return SendOutcome.Again;
            case ECONNREFUSED:
                Close(fd);
                counts.Closed++;
                sink.Report(target, Transport.Udp, port, PortState.Closed, 0);
                return SendOutcome.Settled;
            case ENETUNREACH or EHOSTUNREACH or EHOSTDOWN or ENETDOWN or EACCES or EPERM:
                // No route, a broadcast address, or a local firewall: nmap calls these filtered.
                Close(fd);
                counts.Filtered++;
                sink.Report(target, Transport.Udp, port, PortState.Filtered, 0);
                return SendOutcome.Settled;
            default:
                Close(fd);
                throw new ScanFailedException($"UDP probe to {target.Text} port {port} failed with errno {errno}");
        }
    }

    private void Watch(int fd, ScanTarget target, int port)
    {
        var slot = stackalloc byte[EpollEventSize];
        WriteEpollEvent(slot, EpollIn | EpollErr, fd);
        if (EpollCtl(_epoll, EpollCtlAdd, fd, slot) != 0)
        {
            throw new ScanFailedException($"epoll_ctl failed (errno {LastError})");
        }
        var sequence = ++_sequence;
        _inFlight[fd] = new Probe(target, port, Stopwatch.GetTimestamp(), sequence);
        _sent.Enqueue((fd, sequence));
    }

    private void Poll(int waitMs, Pass pass, IPortResultSink sink, ScanCounts counts)
    {
        if (_inFlight.Count == 0)
        {
            if (waitMs > 0)
            {
                Thread.Sleep(waitMs);
            }
            return;
        }
        var buffer = stackalloc byte[2048];
        fixed (byte* events = _events)
        {
            var ready = EpollWait(_epoll, events, MaxEvents, waitMs);
            if (ready < 0)
            {
                var error = LastError;
                if (error == EINTR)
                {
                    return;
                }
                throw new ScanFailedException($"epoll_wait failed (errno {error})");
            }
            for (var i = 0; i < ready; i++)
            {
                var fd = ReadEpollFd(events + (i * EpollEventSize));
                if (!_inFlight.TryGetValue(fd, out var probe))
                {
                    continue;
                }
                // Any datagram, even an empty one, is an answer; a queued ICMP error comes back as errno.
                var read = (int)Recv(fd, buffer, 2048, 0);
                var errno = read >= 0 ? 0 : LastError;
                PortState state;
                switch (errno)
                {
                    case 0:
                        state = PortState.Open;
                        break;
                    case ECONNREFUSED:
                        state = PortState.Closed;
                        break;
                    case ENETUNREACH or EHOSTUNREACH or EHOSTDOWN or ENETDOWN or EACCES or EPERM:
                        state = PortState.Filtered;
                        break;
                    case EAGAIN or EINTR:
                        continue; // spurious wake-up
                    default:
                        throw new ScanFailedException($"UDP answer from {probe.Target.Text} port {probe.Port}: errno {errno}");
                }
                _inFlight.Remove(fd);
                Close(fd);
                var rtt = Stopwatch.GetTimestamp() - probe.SentAt;
                Sample(rtt);
                pass.Answered++;
                pass.LastAnswer = Stopwatch.GetTimestamp();
                switch (state)
                {
                    case PortState.Open:
                        counts.Open++;
                        break;
                    case PortState.Closed:
                        counts.Closed++;
                        break;
                    default:
                        counts.Filtered++;
                        break;
                }
                sink.Report(probe.Target, Transport.Udp, probe.Port, state, state == PortState.Open ? rtt * 1000.0 / Stopwatch.Frequency : 0);
            }
        }
    }

    /// <summary>RFC 6298's update of the smoothed round-trip time and its deviation.</summary>
    private void Sample(long rtt)
    {
        if (_smoothedRtt == 0)
        {
            _smoothedRtt = rtt;
            _rttVariance = rtt / 2.0;
            return;
        }
        _rttVariance = (0.75 * _rttVariance) + (0.25 * Math.Abs(_smoothedRtt - rtt));
        _smoothedRtt = (0.875 * _smoothedRtt) + (0.125 * rtt);
    }

    /// <summary>How long a probe waits for its answer now, in ticks.</summary>
    private long WaitTicks => _smoothedRtt == 0
        ? _timeoutTicks
        : Math.Min(_timeoutTicks, Math.Max(MinWaitMs * Stopwatch.Frequency / 1000, (long)(_smoothedRtt + (4 * _rttVariance))));

    /// <summary>Probes sent in time order all wait the same, so the oldest expires first.</summary>
    private void Expire(Pass pass)
    {
        var now = Stopwatch.GetTimestamp();
        var wait = WaitTicks;
        while (NextLive() is { } head && now - head.Probe.SentAt >= wait)
        {
            _sent.Dequeue();
            _inFlight.Remove(head.Fd);
            Close(head.Fd);
            pass.Silent.Add((head.Probe.Target, head.Probe.Port));
        }
    }

    private (int Fd, Probe Probe)? NextLive()
    {
        while (_sent.TryPeek(out var head))
        {
            if (_inFlight.TryGetValue(head.Fd, out var probe) && probe.Sequence == head.Sequence)
            {
                return (head.Fd, probe);
            }
            _sent.Dequeue();
        }
        return null;
    }

    private int MillisecondsToNextDeadline()
    {
        if (NextLive() is not { } head)
        {
            return 0;
        }
        var remaining = head.Probe.SentAt + WaitTicks - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : (int)Math.Min(int.MaxValue, ((remaining * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
    }

    public void Dispose()
    {
        foreach (var fd in _inFlight.Keys)
        {
            Close(fd);
        }
        Close(_epoll);
    }
}
