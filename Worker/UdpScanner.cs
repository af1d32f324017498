using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Worker.Native;
using PortScan.Worker.Probing;
using PortScan.Worker.Timing;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker;

/// <summary>
/// The UDP engine: one connected UDP socket a probe, so the kernel hands each socket its own
/// answer. A reply makes the port <c>open</c>; an ICMP port-unreachable, which Linux reports on a
/// connected socket as ECONNREFUSED, makes it <c>closed</c>; another ICMP unreachable makes it
/// <c>filtered</c>; silence is <c>open|filtered</c>, nmap's word and meaning.
/// <para>
/// Silence is only believed with proof, because Linux rate-limits the ICMP errors a host sends (to
/// another host: a burst of 6, then 1 a second; icmp_ratelimit): a closed port whose ICMP was
/// suppressed looks exactly like an open one. So ports are probed in passes, and from the second
/// pass on each silent port's probe is followed at once by a <em>canary</em>: a probe to a port of
/// the same host already known to be closed. If the canary's port-unreachable comes back, the
/// host's ICMP budget was not empty when the port's probe arrived a moment earlier, so that port's
/// silence is real: it is <c>open|filtered</c>. A silent port whose canary was also silent is
/// probed again in the next pass, paced below the rate answers came back at. A host that has never
/// answered has no canary: its ports are <c>open|filtered</c> after five passes with no answer at
/// all, each after a longer pause for ICMP budgets to refill (two on loopback, which Linux never
/// rate-limits; six, each at half the pace, for a host that answered before and fell silent).
/// </para>
/// <para>
/// How long to wait for an answer is the host's adaptive timeout (<see cref="HostTiming"/>, shared
/// with the TCP engine, so a host scanned for both starts UDP with what TCP measured). Passes are
/// capped at --max-retries + 1. The canaries and paced passes are UDP's own congestion control:
/// what limits a UDP scan is the host's ICMP budget, not our sending rate. So --min-rate does not
/// hurry the later passes: sending faster than the budget refills proves nothing sooner.
/// </para>
/// <para>
/// --host-timeout: a host whose time is up is given up as soon as the engine next deals with it
/// (a probe to send, an answer, the end of a pass); what it had not reported by then is unscanned.
/// </para>
/// </summary>
internal sealed unsafe class UdpScanner : IDisposable
{
    private const int MaxWaitUs = 100_000;

    /// <summary>
    /// Passes in a row with no answer at all that end the scan of ports whose host never answered.
    /// One is not enough: other workers scanning the same host share its ICMP budget and may have
    /// spent it; the pauses between these passes grow so that their pacing leaves some over.
    /// </summary>
    private const int DarkPassesToStop = 5;

    /// <summary>
    /// Linux never rate-limits ICMP errors to a loopback address (icmpv4_xrlim_allow: "No rate
    /// limit on loopback"), so there silence needs no more than one retry.
    /// </summary>
    private const int DarkPassesToStopLoopback = 2;

    /// <summary>
    /// A host that has answered before and falls silent is rate-limiting us far more often than it
    /// has gone away: give it more passes before calling its ports open|filtered without proof.
    /// </summary>
    private const int DarkPassesToStopAnswered = 6;

    /// <summary>The pause after a pass with no answer, times the passes so far: Linux refills a peer's ICMP budget at 1 a second.</summary>
    private static readonly TimeSpan RefillPause = TimeSpan.FromMilliseconds(1100);

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    // The next pass is paced at this share of the rate answers came back at: below the limit, not at it.
    private const double PaceMargin = 0.8;

    private readonly int _limit;
    private readonly int _maxPasses;
    private readonly AttemptPacer _pacer;
    private readonly EpollSet _epoll = new();
    private readonly InFlightProbes<Probe> _inFlight = new();
    private readonly ResourceShortage _shortage = new();

    // A port of each host known to be closed: its canary.
    private readonly Dictionary<HostTiming, int> _canaries = [];

    // Ports of each host not reported yet: a host given up with none left needs no word to the coordinator.
    private readonly Dictionary<HostTiming, int> _unreported = [];
    private long _sequence;

    /// <param name="Unit">The index of the pass's unit the probe belongs to.</param>
    /// <param name="Canary">True for the canary that follows a silent port's probe.</param>
    private readonly record struct Probe(HostTiming Host, int Port, long SentAt, long Sequence, int Unit, bool Canary) : IInFlight;

    /// <summary>One port of a pass, and the canary sent right after it (none in the first pass).</summary>
    /// <param name="retry">True from the second pass on: an answer then shows an earlier probe was lost.</param>
    private sealed class Unit(HostTiming host, int port, int? canary, bool retry)
    {
        public HostTiming Host { get; } = host;
        public int Port { get; } = port;
        public int? Canary { get; } = canary;
        public bool Retry { get; } = retry;
        public bool Answered { get; set; }
        public bool Confirmed { get; set; }
    }

    private sealed class Pass(List<Unit> units)
    {
        public List<Unit> Units { get; } = units;
        public int Responses { get; set; }
        public long FirstSend { get; set; }
        public long LastEvent { get; set; }
    }

    public UdpScanner(ProbeSettings settings, AttemptPacer pacer)
    {
        _limit = settings.Concurrency;
        _maxPasses = settings.MaxRetries + 1;
        _pacer = pacer;
    }

    /// <summary>Probes every (host, port) of <paramref name="plan"/>, reporting each outcome to <paramref name="sink"/>.</summary>
    public void Scan(IReadOnlyList<(HostTiming Host, PortSet Ports)> plan, IPortResultSink sink, CancellationToken cancellationToken)
    {
        // A host the TCP engine gave up (--host-timeout) is over for UDP too.
        plan = [.. plan.Where(step => !step.Host.GivenUp)];
        foreach (var (host, ports) in plan)
        {
            _unreported[host] = _unreported.GetValueOrDefault(host) + ports.Count;
        }
        var pending = plan.SelectMany(step => step.Ports.Ports().Select(port => new Unit(step.Host, port, null, retry: false))).ToList();
        var passPacer = AttemptPacer.Unlimited;
        var darkPasses = 0;
        var passes = 0;
        while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            passes++;
            var pass = RunPass(new Pass(pending), passPacer, sink, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                break; // unfinished ports stay unreported, so the coordinator knows they are unscanned
            }
            foreach (var unit in pass.Units.Where(u => !u.Answered && u.Confirmed && !Gone(u.Host, sink)))
            {
                Report(unit.Host, unit.Port, PortState.OpenFiltered, 0, sink);
            }
            var silent = pass.Units.Where(u => !u.Answered && !u.Confirmed && !Gone(u.Host, sink)).ToList();
            darkPasses = pass.Responses == 0 ? darkPasses + 1 : 0;
            var enough = silent.Exists(u => u.Canary is not null) ? DarkPassesToStopAnswered
                : silent.TrueForAll(u => System.Net.IPAddress.IsLoopback(u.Host.Target.Address)) ? DarkPassesToStopLoopback
                : DarkPassesToStop;
            if (darkPasses >= enough || passes >= _maxPasses)
            {
                // Out of evidence, or of the retries the user allows: silence stands unproven.
                foreach (var unit in silent)
                {
                    Report(unit.Host, unit.Port, PortState.OpenFiltered, 0, sink);
                }
                break;
            }
            if (silent.Count > 0 && (pass.Responses > 0 || silent.Exists(u => u.Canary is not null)))
            {
                // Ports left unproven while others answered, or canaries lost: the host's ICMP
                // budget ran out. Go slower: below the rate answers came back at, and at most half as fast as before.
                var seconds = Math.Max(0.001, (double)(pass.LastEvent - pass.FirstSend) / Stopwatch.Frequency);
                var rate = PaceMargin * Math.Max(1, pass.Responses) / seconds;
                passPacer = new AttemptPacer(passPacer.IsLimited ? Math.Min(passPacer.PerSecond / 2, rate) : rate);
            }
            // Jittered, so workers that fell silent together do not all come back at the same moment.
            var pause = darkPasses > 0 ? TimeSpan.FromTicks((long)(Math.Min(MaxPause.Ticks, RefillPause.Ticks * darkPasses) * (0.75 + (Random.Shared.NextDouble() / 2))))
                : passPacer.IsLimited ? TimeSpan.FromSeconds(Math.Min(1 / passPacer.PerSecond, MaxPause.TotalSeconds))
                : TimeSpan.Zero;
            Nap(pause, sink, cancellationToken);
            pending = [.. silent.Select(u => new Unit(u.Host, u.Port, _canaries.TryGetValue(u.Host, out var canary) ? canary : null, retry: true))];
        }
        sink.Flush();
    }

    /// <summary>Waits in short naps, so heartbeats go on and a stop request is noticed.</summary>
    private static void Nap(TimeSpan pause, IPortResultSink sink, CancellationToken cancellationToken)
    {
        var resume = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < resume && !cancellationToken.IsCancellationRequested)
        {
            sink.Flush();
            EpollSet.Sleep(Math.Min(MaxWaitUs, Math.Max(1, WaitTime.Microseconds(resume - Stopwatch.GetTimestamp()))));
        }
    }

    /// <summary>
    /// True when the host is given up (--host-timeout): already, or now because its time is up, in
    /// which case the coordinator is told, if any of its ports here went unreported.
    /// </summary>
    private bool Gone(HostTiming host, IPortResultSink sink)
    {
        if (host.GivenUp)
        {
            return true;
        }
        if (!host.TimeIsUp(Stopwatch.GetTimestamp()))
        {
            return false;
        }
        host.GivenUp = true;
        if (_unreported.GetValueOrDefault(host) > 0)
        {
            sink.Tell(new HostTimeoutMessage(host.Target.Text));
        }
        return true;
    }

    private void Report(HostTiming host, int port, PortState state, double rttMs, IPortResultSink sink, PortReason? reason = null)
    {
        _unreported[host]--;
        if (state == PortState.Closed)
        {
            _canaries.TryAdd(host, port);
        }
        sink.Report(host.Target, Transport.Udp, port, state, rttMs, reason: reason);
    }

    /// <summary>Sends each unit's probe (and canary) and waits for every answer or timeout.</summary>
    private Pass RunPass(Pass pass, AttemptPacer passPacer, IPortResultSink sink, CancellationToken cancellationToken)
    {
        var next = 0;
        var retry = new Queue<(int Unit, bool Canary)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var starved = false;
            var paced = false;
            while (_inFlight.Count + 1 < _limit && (retry.Count > 0 || next < pass.Units.Count))
            {
                if (!passPacer.Ready || !_pacer.Ready)
                {
                    paced = true;
                    break;
                }
                var (index, canary) = retry.Count > 0 ? retry.Dequeue() : (next++, false);
                var unit = pass.Units[index];
                if (Gone(unit.Host, sink))
                {
                    continue;
                }
                pass.FirstSend = pass.FirstSend == 0 ? Stopwatch.GetTimestamp() : pass.FirstSend;
                // The canary goes right behind the port's probe: nothing may come between them.
                foreach (var isCanary in canary ? [true] : unit.Canary is null ? [false] : new[] { false, true })
                {
                    passPacer.Take();
                    _pacer.Take();
                    switch (TrySend(unit.Host, isCanary ? unit.Canary!.Value : unit.Port, index, isCanary, pass, sink))
                    {
                        case SendOutcome.Again when !isCanary:
                            retry.Enqueue((index, false));
                            starved = true;
                            break;
                        case SendOutcome.Again:
                            // A lost canary only costs proof: the port is probed again next pass.
                            starved = true;
                            break;
                    }
                    if (starved)
                    {
                        break;
                    }
                }
                if (starved)
                {
                    break;
                }
            }

            var more = retry.Count > 0 || next < pass.Units.Count;
            if (_inFlight.Count == 0 && !more)
            {
                break;
            }
            if (starved && _inFlight.Count == 0)
            {
                _shortage.WaitWithNothingInFlight(sink);
                continue;
            }
            _shortage.Clear();

            var wait = _inFlight.Count + 1 >= _limit || !more || starved ? Math.Min(MicrosecondsToNextDeadline(), MaxWaitUs)
                : paced ? Math.Min(Math.Max(passPacer.MicrosecondsUntilNext(), _pacer.MicrosecondsUntilNext()), _inFlight.Count > 0 ? Math.Min(MicrosecondsToNextDeadline(), MaxWaitUs) : MaxWaitUs)
                : 0;
            if (wait > 0)
            {
                sink.Flush();
            }
            Poll(wait, pass, sink);
            Expire();
        }
        return pass;
    }

    private enum SendOutcome
    {
        Sent,
        Settled,
        Again,
    }

    private SendOutcome TrySend(HostTiming host, int port, int unit, bool canary, Pass pass, IPortResultSink sink)
    {
        var socketAddress = host.Target.SocketAddress;
        var fd = Socket(socketAddress.Family, SockDgram | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            var error = LastError;
            return SocketErrors.IsShortage(error) ? SendOutcome.Again : throw new ScanFailedException($"socket() failed (errno {error})");
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
        if (SocketErrors.IsShortage(errno))
        {
            Close(fd);
            return SendOutcome.Again;
        }
        host.Count(retry: pass.Units[unit].Retry && !canary);
        switch (errno)
        {
            case 0:
                Watch(fd, new Probe(host, port, Stopwatch.GetTimestamp(), ++_sequence, unit, canary));
                return SendOutcome.Sent;
            case ECONNREFUSED:
                Close(fd);
                Settle(pass, new Probe(host, port, 0, 0, unit, canary), PortState.Closed, 0, sink);
                return SendOutcome.Settled;
            case var error when SocketErrors.IsUnreachable(error):
                // No route, a broadcast address, or a local firewall: nmap calls these filtered.
                Close(fd);
                Settle(pass, new Probe(host, port, 0, 0, unit, canary), PortState.Filtered, 0, sink, SocketErrors.Reason(errno));
                return SendOutcome.Settled;
            default:
                Close(fd);
                throw new ScanFailedException($"UDP probe to {host.Target.Text} port {port} failed with errno {errno}");
        }
    }

    private void Watch(int fd, Probe probe)
    {
        _epoll.Add(fd, EpollIn | EpollErr);
        _inFlight.Add(fd, probe);
    }

    /// <summary>
    /// An answer: a port's is its result; a canary's port-unreachable proves the silence of the
    /// port probed just before it, and is not reported again (its port was reported closed already).
    /// </summary>
    private void Settle(Pass pass, Probe probe, PortState state, double rttMs, IPortResultSink sink, PortReason? reason = null)
    {
        if (Gone(probe.Host, sink))
        {
            return; // its time was up before this answer came
        }
        pass.Responses++;
        pass.LastEvent = Stopwatch.GetTimestamp();
        var unit = pass.Units[probe.Unit];
        if (probe.Canary)
        {
            unit.Confirmed |= state == PortState.Closed;
            return;
        }
        unit.Answered = true;
        if (unit.Retry)
        {
            probe.Host.LostEarlier();
        }
        Report(probe.Host, probe.Port, state, rttMs, sink, reason);
    }

    private void Poll(int waitUs, Pass pass, IPortResultSink sink)
    {
        if (_inFlight.Count == 0)
        {
            if (waitUs > 0)
            {
                EpollSet.Sleep(waitUs);
            }
            return;
        }
        var buffer = stackalloc byte[2048];
        var ready = _epoll.Wait(waitUs);
        for (var i = 0; i < ready; i++)
        {
            var fd = _epoll.ReadyFd(i);
            if (!_inFlight.TryGet(fd, out var probe))
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
                case var error when SocketErrors.IsUnreachable(error):
                    state = PortState.Filtered;
                    break;
                case EAGAIN or EINTR:
                    continue; // spurious wake-up
                default:
                    throw new ScanFailedException($"UDP answer from {probe.Host.Target.Text} port {probe.Port}: errno {errno}");
            }
            _inFlight.Remove(fd, out _);
            Close(fd);
            var rtt = Stopwatch.GetTimestamp() - probe.SentAt;
            probe.Host.Rtt.Add(rtt);
            Settle(pass, probe, state, state == PortState.Open ? rtt * 1000.0 / Stopwatch.Frequency : 0, sink,
                state == PortState.Filtered ? SocketErrors.Reason(errno) : null);
        }
    }

    /// <summary>Probes past their host's timeout leave their units unanswered.</summary>
    private void Expire()
    {
        var now = Stopwatch.GetTimestamp();
        while (_inFlight.TryExpire(now, out var fd, out _))
        {
            Close(fd);
        }
    }

    private int MicrosecondsToNextDeadline()
    {
        var ticks = _inFlight.TicksToNextDeadline(Stopwatch.GetTimestamp());
        return ticks == long.MaxValue ? 0 : WaitTime.Microseconds(ticks);
    }

    public void Dispose()
    {
        _inFlight.CloseAll();
        _epoll.Dispose();
    }
}
