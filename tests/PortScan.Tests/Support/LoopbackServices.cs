using System.Net;
using System.Net.Sockets;

namespace PortScan.Tests.Support;

/// <summary>
/// Services a test opens on 127.0.0.1 ports of its own (the kernel picks free ones), so a scan of
/// exactly those ports reaches nothing else: a UDP port that answers, one that reads and never
/// answers, a reserved closed one, and TCP listeners that greet.
/// </summary>
public sealed class LoopbackServices : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Bytes each greeting listener received from its clients: a scanner that reads a banner sends nothing.</summary>
    public int BytesReceivedByGreeters => Volatile.Read(ref _bytesReceived);

    private int _bytesReceived;

    /// <summary>A UDP port that answers every datagram (even an empty one) with "pong".</summary>
    public int UdpAnswering()
    {
        var socket = Bind(SocketType.Dgram, ProtocolType.Udp);
        _loops.Add(Task.Run(async () =>
        {
            var buffer = new byte[2048];
            while (!_stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await socket.SendToAsync("pong"u8.ToArray(), received.RemoteEndPoint, _stop.Token);
            }
        }));
        return Port(socket);
    }

    /// <summary>A UDP port that answers "pong" to "ping" only: silent to a UDP scan's empty datagram, so open|filtered until -sV asks.</summary>
    public int UdpAnsweringPingOnly()
    {
        var socket = Bind(SocketType.Dgram, ProtocolType.Udp);
        _loops.Add(Task.Run(async () =>
        {
            var buffer = new byte[2048];
            while (!_stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                if (buffer.AsSpan(0, received.ReceivedBytes).SequenceEqual("ping"u8))
                {
                    await socket.SendToAsync("pong"u8.ToArray(), received.RemoteEndPoint, _stop.Token);
                }
            }
        }));
        return Port(socket);
    }

    /// <summary>A UDP port with a socket that reads every datagram and never answers: open, but silent.</summary>
    public int UdpSilent()
    {
        var socket = Bind(SocketType.Dgram, ProtocolType.Udp);
        _loops.Add(Task.Run(async () =>
        {
            var buffer = new byte[2048];
            while (!_stop.IsCancellationRequested)
            {
                await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
        }));
        return Port(socket);
    }

    /// <summary>A UDP port the kernel gave us and we let go: nothing listens, so it answers with ICMP port-unreachable.</summary>
    public static int UdpClosed()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A TCP listener that sends <paramref name="greeting"/> to each client, then waits for the client to hang up.</summary>
    public int TcpGreeting(byte[] greeting)
    {
        var listener = Bind(SocketType.Stream, ProtocolType.Tcp);
        listener.Listen(64);
        _loops.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        await client.SendAsync(greeting, _stop.Token);
                        var buffer = new byte[256];
                        try
                        {
                            int read;
                            while ((read = await client.ReceiveAsync(buffer, _stop.Token)) > 0)
                            {
                                Interlocked.Add(ref _bytesReceived, read);
                            }
                        }
                        catch (SocketException)
                        {
                            // The scanner closes with a reset: the end of the conversation.
                        }
                    }
                });
            }
        }));
        return Port(listener);
    }

    private Socket Bind(SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped on purpose.
        }
        _stop.Dispose();
    }
}
