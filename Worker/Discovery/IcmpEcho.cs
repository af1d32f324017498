using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PortScan.Worker.Timing;

namespace PortScan.Worker.Discovery;

/// <summary>
/// Host discovery's ICMP echo requests (nmap's -PE), one socket a family: an unprivileged ICMP
/// socket (SOCK_DGRAM, IPPROTO_ICMP) where <c>net.ipv4.ping_group_range</c> admits the worker's group,
/// else a raw one, which needs CAP_NET_RAW (root, or the owner of the network namespace). Probes are
/// timed and retried as the connect engine's are: each host's timeout from its <see cref="HostTiming"/>,
/// as many tries as it allows, every request through the scan's <see cref="AttemptPacer"/> (--max-rate).
/// </summary>
internal sealed class IcmpEcho : IDisposable
{
    private readonly Socket? _v4;
    private readonly Socket? _v6;
    private readonly bool _v4Raw;
    private readonly ushort _identifier = (ushort)Environment.ProcessId;
    private readonly byte[] _buffer = new byte[1500];

    private IcmpEcho(Socket? v4, bool v4Raw, Socket? v6, string? problem)
    {
        _v4 = v4;
        _v4Raw = v4Raw;
        _v6 = v6;
        Problem = problem;
    }

    /// <summary>Why no ICMP socket could be opened for a family the slice holds; null when every one could.</summary>
    public string? Problem { get; }

    public static IcmpEcho Open(IReadOnlyCollection<IPAddress> hosts)
    {
        var problems = new List<string>();
        Socket? v4 = null, v6 = null;
        var v4Raw = false;
        if (hosts.Any(h => h.AddressFamily == AddressFamily.InterNetwork))
        {
            (v4, v4Raw) = Socket(AddressFamily.InterNetwork, ProtocolType.Icmp, problems);
        }
        if (hosts.Any(h => h.AddressFamily == AddressFamily.InterNetworkV6))
        {
            (v6, _) = Socket(AddressFamily.InterNetworkV6, ProtocolType.IcmpV6, problems);
        }
        return new IcmpEcho(v4, v4Raw, v6, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static (Socket?, bool Raw) Socket(AddressFamily family, ProtocolType protocol, List<string> problems)
    {
        try
        {
            return (new Socket(family, SocketType.Dgram, protocol), false);
        }
        catch (SocketException datagram)
        {
            try
            {
                return (new Socket(family, SocketType.Raw, protocol), true);
            }
            catch (SocketException raw)
            {
                problems.Add($"no {(family == AddressFamily.InterNetwork ? "ICMP" : "ICMPv6")} socket (unprivileged: {datagram.Message}, see net.ipv4.ping_group_range; raw: {raw.Message})");
                return (null, false);
            }
        }
    }

    /// <summary>
    /// Pings every host until it answers or its tries are spent; returns each answering host's round-trip time in ms.
    /// <paramref name="countProbes"/>: the requests count in the hosts' probes and their replies time them, which only
    /// the thread of the connect engine may do; beside it, the hosts' timings are only read.
    /// </summary>
    public Dictionary<IPAddress, double> Ping(IReadOnlyList<HostTiming> hosts, AttemptPacer pacer, bool countProbes, CancellationToken cancellationToken)
    {
        var answered = new Dictionary<IPAddress, double>();
        var sentAt = new Dictionary<IPAddress, long>();
        var pending = hosts.Where(h => SocketFor(h.Target.Address) is not null).ToList();
        for (ushort attempt = 0; pending.Count > 0 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            long deadline = 0;
            foreach (var host in pending)
            {
                while (!pacer.TryTake())
                {
                    Thread.Sleep(TimeSpan.FromMicroseconds(pacer.MicrosecondsUntilNext()));
                }
                var address = host.Target.Address;
                var now = Stopwatch.GetTimestamp();
                Send(address, attempt);
                sentAt[address] = now;
                if (countProbes)
                {
                    host.Count(retry: attempt > 0);
                }
                deadline = Math.Max(deadline, now + host.TimeoutTicks);
            }
            Receive(deadline, sentAt, answered, countProbes ? hosts : [], cancellationToken);
            pending = [.. pending.Where(h => !answered.ContainsKey(h.Target.Address) && attempt + 1 < h.AllowedTries)];
        }
        return answered;
    }

    private Socket? SocketFor(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? _v4 : _v6;

    private void Send(IPAddress address, ushort sequence)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        Span<byte> request = stackalloc byte[16];
        request[0] = v4 ? (byte)8 : (byte)128; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(request[4..], _identifier);
        BinaryPrimitives.WriteUInt16BigEndian(request[6..], sequence);
        // ICMPv6's checksum covers a pseudo-header, and the kernel fills it in; ICMPv4's is ours to compute.
        if (v4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(request[2..], Checksum(request));
        }
        try
        {
            SocketFor(address)!.SendTo(request, new IPEndPoint(address, 0));
        }
        catch (SocketException)
        {
            // An unreachable route or a local firewall: the host simply does not answer this probe.
        }
    }

    private void Receive(long deadline, Dictionary<IPAddress, long> sentAt, Dictionary<IPAddress, double> answered,
        IReadOnlyList<HostTiming> timed, CancellationToken cancellationToken)
    {
        var sockets = new List<Socket>(2);
        while (!cancellationToken.IsCancellationRequested && answered.Count < sentAt.Count)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }
            sockets.Clear();
            sockets.AddRange(new[] { _v4, _v6 }.OfType<Socket>());
            // At most 100 ms a wait, so a stop request is seen soon.
            System.Net.Sockets.Socket.Select(sockets, null, null, TimeSpan.FromTicks(Math.Min(left * TimeSpan.TicksPerSecond / Stopwatch.Frequency, TimeSpan.TicksPerMillisecond * 100)));
            foreach (var socket in sockets)
            {
                EndPoint from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
                var length = socket.ReceiveFrom(_buffer, ref from);
                var now = Stopwatch.GetTimestamp();
                var source = ((IPEndPoint)from).Address;
                if (IsEchoReply(socket, _buffer.AsSpan(0, length)) && sentAt.TryGetValue(source, out var sent) && !answered.ContainsKey(source))
                {
                    answered[source] = (now - sent) * 1000.0 / Stopwatch.Frequency;
                    timed.FirstOrDefault(h => h.Target.Address.Equals(source))?.Rtt.Add(now - sent);
                }
            }
        }
    }

    private bool IsEchoReply(Socket socket, ReadOnlySpan<byte> packet)
    {
        var v4 = socket.AddressFamily == AddressFamily.InterNetwork;
        // A raw ICMPv4 socket reads the IP header too, and every ICMP packet the host gets: ours are the replies with our identifier.
        // An unprivileged socket reads only the replies to its own requests, their identifier rewritten by the kernel.
        if (v4 && _v4Raw)
        {
            if (packet.Length < 20)
            {
                return false;
            }
            packet = packet[((packet[0] & 0x0f) * 4)..];
        }
        var raw = v4 ? _v4Raw : socket.SocketType == SocketType.Raw;
        return packet.Length >= 8 && packet[0] == (v4 ? 0 : 129)
            && (!raw || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) == _identifier);
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public void Dispose()
    {
        _v4?.Dispose();
        _v6?.Dispose();
    }
}
