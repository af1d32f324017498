using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using PortScan.Shared.Ports;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// One conversation with a port for version detection: a TCP connection (inside TLS, with any
/// certificate accepted: this is identification, not trust, as in nmap) or a connected UDP socket.
/// A read that outlasts its wait is not cancelled but kept for the next wait: after the NULL probe's
/// silence the next probe is sent on the same connection, and a cancelled SslStream read cannot be resumed.
/// </summary>
internal sealed class ServiceConnection : IAsyncDisposable
{
    /// <summary>nmap's DEFAULT_CONNECT_TIMEOUT.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>nmap's DEFAULT_CONNECT_SSL_TIMEOUT: the connect and the TLS handshake.</summary>
    public static readonly TimeSpan TlsConnectTimeout = TimeSpan.FromSeconds(8);

    private readonly Socket _socket;
    private readonly Stream? _stream;
    private readonly byte[] _buffer = new byte[4096];
    private Task<int>? _pending;

    private ServiceConnection(Socket socket, Stream? stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>What a read ended with.</summary>
    public enum ReadEnd
    {
        Data,
        Timeout,
        Closed,
        Reset,
        Unreachable,
        Failed,
    }

    /// <exception cref="SocketException">The connect failed.</exception>
    /// <exception cref="AuthenticationException">The TLS handshake failed.</exception>
    /// <exception cref="IOException">The connection broke during the handshake.</exception>
    /// <exception cref="OperationCanceledException">The connect took too long (or the scan was stopped).</exception>
    public static async Task<ServiceConnection> OpenAsync(IPAddress address, Transport transport, int port, bool tls, CancellationToken stop)
    {
        var socket = transport == Transport.Tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(tls ? TlsConnectTimeout : ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), limit.Token).ConfigureAwait(false);
            if (transport == Transport.Udp)
            {
                return new ServiceConnection(socket, null);
            }
            // Closed with a reset, as the connect scan closes: no TIME_WAIT left on either side.
            socket.LingerState = new LingerOption(true, 0);
            var network = new NetworkStream(socket, ownsSocket: false);
            if (!tls)
            {
                return new ServiceConnection(socket, network);
            }
            // Any certificate: version detection asks what answers, not whether to trust it (nmap's NSOCK_SSL_MAX_SPEED does the same).
#pragma warning disable CA5359
            var ssl = new SslStream(network, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = address.ToString() }, limit.Token).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new ServiceConnection(socket, ssl);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a probe's payload; false when the connection would not take it (nmap then gives the port up).</summary>
    public async Task<bool> SendAsync(byte[] payload, TimeSpan wait, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(wait);
        try
        {
            if (_stream is null)
            {
                await _socket.SendAsync(payload, SocketFlags.None, limit.Token).ConfigureAwait(false);
            }
            else
            {
                await _stream.WriteAsync(payload, limit.Token).ConfigureAwait(false);
                await _stream.FlushAsync(limit.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for data and appends it to <paramref name="response"/>:
    /// for TCP what one read returns, for UDP one datagram.
    /// </summary>
    public async Task<ReadEnd> ReadAsync(List<byte> response, TimeSpan wait, CancellationToken stop)
    {
        // Not cancelled by the wait: it is left pending for the next one (see the class).
        _pending ??= _stream is null
            ? _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, CancellationToken.None).AsTask()
            : _stream.ReadAsync(_buffer.AsMemory(), CancellationToken.None).AsTask();
        if (wait <= TimeSpan.Zero)
        {
            return ReadEnd.Timeout;
        }
        var timer = Task.Delay(wait, stop);
        await Task.WhenAny(_pending, timer).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
        if (!_pending.IsCompleted)
        {
            return ReadEnd.Timeout;
        }
        var read = _pending;
        _pending = null;
        try
        {
            var count = await read.ConfigureAwait(false);
            if (count == 0 && _stream is not null)
            {
                return ReadEnd.Closed;
            }
            response.AddRange(_buffer.AsSpan(0, count));
            return ReadEnd.Data;
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return Classify(e);
        }
    }

    /// <summary>nmap's read handler's cases: a peer that hung up, a network that says no, anything else (TLS errors are nmap's EIO).</summary>
    private static ReadEnd Classify(Exception e)
    {
        var socket = e as SocketException ?? e.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.ConnectionAborted => ReadEnd.Reset,
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.HostDown => ReadEnd.Unreachable,
            _ => ReadEnd.Failed,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _socket.Dispose();
        if (_pending is { } pending)
        {
            // The read outlived its wait; closing ends it. Observe how, so it is never an unobserved exception.
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
            {
                // Ended by the close, as intended.
            }
        }
    }
}
