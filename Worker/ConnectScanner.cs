using System.Diagnostics;
using PortScan.Shared.Ports;
using PortScan.Worker.Native;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker;

/// <summary>
/// The connect-scan engine: one thread, non-blocking connects, epoll for the ones in flight.
/// Connects to several hosts share one epoll set and one concurrency limit: the work is walked in
/// order (host by host), and a slow host's timeouts overlap the next host's connects.
/// <para>
/// At most <c>concurrency</c> connects are outstanding. With <c>concurrency = 1</c> this is the
/// original article's scanner: one connect at a time, each waiting up to the timeout.
/// </para>
/// <para>
/// A refused socket returns to the TCP CLOSE state and Linux lets it connect again, so refused
/// sockets are reused. On loopback the SYN and its RST are handled inside the connect() call, so
/// asking again at once (a second connect()) usually settles the port with no epoll round trip.
/// </para>
/// <para>
/// With a pacer (<c>--max-rate</c>) a connect starts only when its slot is due. With banners
/// (<c>--banners</c>) an open port's socket stays in the epoll set, now waiting to read, until the
/// service says something, hangs up or the banner wait ends; nothing is ever sent to it. A socket
/// waiting for a banner holds a descriptor, so it counts against the concurrency.
/// </para>
/// </summary>
internal sealed unsafe class ConnectScanner : IDisposable
{
    // Longest single wait, so a stop request is noticed promptly even with long timeouts.
    private const int MaxWaitMs = 100;

    // Out of descriptors or ephemeral ports with nothing in flight to free any: wait, then give up.
    private static readonly TimeSpan ResourceGiveUp = TimeSpan.FromSeconds(30);

    private readonly long _timeoutTicks;
    private readonly long _bannerTicks;
    private readonly AttemptPacer _pacer;
    private readonly EpollSet _epoll = new();
    // Refused sockets ready for another connect, one stack per address family (IPv4, IPv6).
    private readonly Stack<int> _reusable4 = new();
    private readonly Stack<int> _reusable6 = new();
    private readonly Dictionary<int, InFlight> _inFlight = [];
    // Every connect has the same timeout and they start in time order, so deadlines are in FIFO order;
    // the same holds for banner reads, which have a queue of their own.
    private readonly Queue<(int Fd, long Sequence)> _deadlines = new();
    private readonly Queue<(int Fd, long Sequence)> _bannerDeadlines = new();
    private readonly Queue<(ScanTarget Target, int Port)> _retry = new();
    private long _sequence;
    private int _limit;

    /// <param name="StartedAt">When the connect (or, when <paramref name="Reading"/>, the banner wait) began.</param>
    /// <param name="RttMs">The handshake's time, kept while the banner is awaited.</param>
    private readonly record struct InFlight(ScanTarget Target, int Port, long StartedAt, long Sequence, bool Reading = false, double RttMs = 0);

    /// <param name="bannerMs">How long to wait for an open port's banner; 0 for no banners.</param>
    public ConnectScanner(int timeoutMs, int concurrency, AttemptPacer pacer, int bannerMs)
    {
        _timeoutTicks = timeoutMs * Stopwatch.Frequency / 1000;
        _bannerTicks = bannerMs * Stopwatch.Frequency / 1000;
        _pacer = pacer;
        _limit = concurrency;
    }

    /// <summary>How many connects may be in flight now; lowered if the process runs out of descriptors.</summary>
    public int Concurrency => _limit;

    /// <summary>Connects to every (host, port) in order, reporting each outcome to <paramref name="sink"/>.</summary>
    public void Scan(IEnumerable<(ScanTarget Target, int Port)> items, IPortResultSink sink, CancellationToken cancellationToken)
    {
        using var next = items.GetEnumerator();
        var unstarted = next.MoveNext();
        long starvedSince = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var starved = false;
            var paced = false;
            while (_inFlight.Count < _limit && (_retry.Count > 0 || unstarted))
            {
                if (!_pacer.TryTake())
                {
                    paced = true;
                    break;
                }
                (ScanTarget Target, int Port) item;
                if (_retry.Count > 0)
                {
                    item = _retry.Dequeue();
                }
                else
                {
                    item = next.Current;
                    unstarted = next.MoveNext();
                }
                if (!TryStart(item.Target, item.Port, sink))
                {
                    _retry.Enqueue(item);
                    starved = true;
                    break;
                }
            }

            var morePorts = _retry.Count > 0 || unstarted;
            if (_inFlight.Count == 0 && !morePorts)
            {
                break;
            }

            if (starved)
            {
                // Never guess a state from a resource error: wait for in-flight connects to free
                // descriptors and retry the port. Lower the limit only if connects are in flight.
                if (_inFlight.Count > 0)
                {
                    _limit = Math.Max(1, _inFlight.Count);
                }
                else
                {
                    starvedSince = starvedSince == 0 ? Stopwatch.GetTimestamp() : starvedSince;
                    if (Stopwatch.GetElapsedTime(starvedSince) > ResourceGiveUp)
                    {
                        throw new ScanFailedException("out of sockets or ephemeral ports with nothing in flight for 30 s");
                    }
                    sink.Flush();
                    Thread.Sleep(10);
                    continue;
                }
            }
            starvedSince = 0;

            // Block only when nothing new can be started (or its slot is not due); flush first so
            // results are never held back by a wait.
            var wait = _inFlight.Count >= _limit || !morePorts || starved ? Math.Min(MillisecondsToNextDeadline(), MaxWaitMs)
                : paced ? Math.Min(_pacer.MillisecondsUntilNext(), _inFlight.Count > 0 ? Math.Min(MillisecondsToNextDeadline(), MaxWaitMs) : MaxWaitMs)
                : 0;
            if (wait > 0)
            {
                sink.Flush();
            }
            Poll(wait, sink);
            ExpireDeadlines(sink);
        }
        sink.Flush();
    }

    private Stack<int> Reusable(TargetSocketAddress address) => address.Family == AfInet ? _reusable4 : _reusable6;

    /// <summary>Starts one connect; false when the process is out of descriptors or ports for now.</summary>
    private bool TryStart(ScanTarget target, int port, IPortResultSink sink)
    {
        var socketAddress = target.SocketAddress;
        var reusable = Reusable(socketAddress);
        var fd = reusable.Count > 0 ? reusable.Pop() : Socket(socketAddress.Family, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            var error = LastError;
            return error is EMFILE or ENFILE or ENOBUFS or ENOMEM
                ? false
                : throw new ScanFailedException($"socket() failed (errno {error})");
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

        if (errno is EALREADY or EINPROGRESS)
        {
            Watch(fd, target, port, startedAt);
            return true;
        }
        if (errno is EADDRNOTAVAIL or EAGAIN or ENOBUFS or ENOMEM)
        {
            Close(fd);
            return false;
        }
        Settle(fd, new InFlight(target, port, startedAt, 0), errno, registered: false, sink);
        return true;
    }

    private void Watch(int fd, ScanTarget target, int port, long startedAt)
    {
        _epoll.Add(fd, EpollOut | EpollErr | EpollHup);
        var sequence = ++_sequence;
        _inFlight[fd] = new InFlight(target, port, startedAt, sequence);
        _deadlines.Enqueue((fd, sequence));
    }

    private void Poll(int waitMs, IPortResultSink sink)
    {
        if (_inFlight.Count == 0)
        {
            // Nothing to wait for but the pacer's next slot.
            if (waitMs > 0)
            {
                Thread.Sleep(waitMs);
            }
            return;
        }
        var ready = _epoll.Wait(waitMs);
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
            var socketAddress = entry.Target.SocketAddress;
            fixed (byte* sockaddr = socketAddress.WithPort(entry.Port))
            {
                result = Connect(fd, sockaddr, socketAddress.Length);
            }
            var errno = result == 0 ? 0 : LastError;
            if (errno is EALREADY or EINPROGRESS)
            {
                _inFlight[fd] = entry; // spurious wake-up: still connecting
                continue;
            }
            Settle(fd, entry, errno, registered: true, sink);
        }
    }

    private void Settle(int fd, InFlight entry, int errno, bool registered, IPortResultSink sink)
    {
        var (target, port) = (entry.Target, entry.Port);
        switch (errno)
        {
            case 0 or EISCONN:
                if (TargetSocketAddress.IsSelfConnected(fd))
                {
                    // No listener: the socket met itself. Retry with a fresh socket (another source port).
                    Abort(fd);
                    _retry.Enqueue((target, port));
                    return;
                }
                var rtt = Stopwatch.GetElapsedTime(entry.StartedAt).TotalMilliseconds;
                if (_bannerTicks > 0)
                {
                    AwaitBanner(fd, entry with { RttMs = rtt }, registered);
                    return;
                }
                Abort(fd);
                sink.Report(target, Transport.Tcp, port, PortState.Open, rtt);
                return;
            case ECONNREFUSED:
                if (registered)
                {
                    _epoll.Remove(fd);
                }
                var reusable = Reusable(target.SocketAddress);
                if (reusable.Count < _limit)
                {
                    reusable.Push(fd);
                }
                else
                {
                    Close(fd);
                }
                sink.Report(target, Transport.Tcp, port, PortState.Closed, 0);
                return;
            case ETIMEDOUT or ENETUNREACH or EHOSTUNREACH or EHOSTDOWN or ENETDOWN or EACCES or EPERM or ECONNRESET:
                // No answer, an ICMP unreachable, or a local firewall: nmap calls all of these filtered.
                Close(fd);
                sink.Report(target, Transport.Tcp, port, PortState.Filtered, 0);
                return;
            case EADDRNOTAVAIL or EAGAIN or ENOBUFS or ENOMEM:
                Close(fd);
                _retry.Enqueue((target, port));
                return;
            default:
                Close(fd);
                throw new ScanFailedException($"connect to {target.Text} port {port} failed with errno {errno}");
        }
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
        var sequence = ++_sequence;
        _inFlight[fd] = connected with { StartedAt = Stopwatch.GetTimestamp(), Sequence = sequence, Reading = true };
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
        var banner = Banner.Escape(new ReadOnlySpan<byte>(buffer, length));
        sink.Report(entry.Target, Transport.Tcp, entry.Port, PortState.Open, entry.RttMs, banner.Length > 0 ? banner : null);
    }

    private void ExpireDeadlines(IPortResultSink sink)
    {
        var now = Stopwatch.GetTimestamp();
        while (NextLive(_deadlines) is { } connect && now - connect.Entry.StartedAt >= _timeoutTicks)
        {
            _deadlines.Dequeue();
            _inFlight.Remove(connect.Fd);
            Close(connect.Fd); // closing also removes it from the epoll set
            sink.Report(connect.Entry.Target, Transport.Tcp, connect.Entry.Port, PortState.Filtered, 0);
        }
        while (NextLive(_bannerDeadlines) is { } silent && now - silent.Entry.StartedAt >= _bannerTicks)
        {
            // Open, and said nothing within the wait: many services (HTTP) wait for the client.
            _bannerDeadlines.Dequeue();
            _inFlight.Remove(silent.Fd);
            Abort(silent.Fd);
            sink.Report(silent.Entry.Target, Transport.Tcp, silent.Entry.Port, PortState.Open, silent.Entry.RttMs);
        }
    }

    /// <summary>The queue's first entry still waiting, dropping those settled already.</summary>
    private (int Fd, InFlight Entry)? NextLive(Queue<(int Fd, long Sequence)> deadlines)
    {
        while (deadlines.TryPeek(out var head))
        {
            if (_inFlight.TryGetValue(head.Fd, out var entry) && entry.Sequence == head.Sequence)
            {
                return (head.Fd, entry);
            }
            deadlines.Dequeue();
        }
        return null;
    }

    private int MillisecondsToNextDeadline()
    {
        var now = Stopwatch.GetTimestamp();
        var remaining = long.MaxValue;
        if (NextLive(_deadlines) is { } connect)
        {
            remaining = connect.Entry.StartedAt + _timeoutTicks - now;
        }
        if (NextLive(_bannerDeadlines) is { } reading)
        {
            remaining = Math.Min(remaining, reading.Entry.StartedAt + _bannerTicks - now);
        }
        return remaining == long.MaxValue ? 0 : WaitTime.Milliseconds(remaining);
    }

    /// <summary>Closes with a reset (SO_LINGER 0): no TIME_WAIT left behind on either side for each open port.</summary>
    private static void Abort(int fd)
    {
        var linger = new Linger { OnOff = 1, Seconds = 0 };
        SetSockOpt(fd, SolSocket, SoLinger, &linger, sizeof(Linger));
        Close(fd);
    }

    public void Dispose()
    {
        foreach (var fd in _inFlight.Keys)
        {
            Close(fd);
        }
        foreach (var fd in _reusable4.Concat(_reusable6))
        {
            Close(fd);
        }
        _epoll.Dispose();
    }
}
