using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PortScan.Tests.Support;

/// <summary>
/// Services on 127.0.0.1 ports of their own (the kernel picks free ones) that take version
/// detection down each of its paths: one that answers only an HTTP request, one that says nothing
/// until it is sent something, one that speaks only TLS, one that hangs up at once. Each counts the
/// connections it accepted.
/// </summary>
public sealed class ProbedServices : IAsyncDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, int> _connections = [];
    private readonly Lock _lock = new();

    /// <summary>Connections accepted on <paramref name="port"/> so far.</summary>
    public int Connections(int port)
    {
        lock (_lock)
        {
            return _connections.GetValueOrDefault(port);
        }
    }

    /// <summary>Silent until a request ending in a blank line comes; answers an HTTP GET with <paramref name="response"/>, anything else by hanging up.</summary>
    public int HttpOnly(string response) => Listen(async (stream, token) =>
    {
        var request = await ReadRequestAsync(stream, token);
        if (request.StartsWith("GET ", StringComparison.Ordinal))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), token);
        }
    });

    /// <summary>Says nothing when a client connects; answers <paramref name="answer"/> to the first bytes it is sent, whatever they are.</summary>
    public int SpeaksWhenSpokenTo(string answer) => Listen(async (stream, token) =>
    {
        var buffer = new byte[512];
        if (await stream.ReadAsync(buffer, token) > 0)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), token);
            await Task.Delay(TimeSpan.FromSeconds(10), token);
        }
    });

    /// <summary>Speaks only TLS (a self-signed certificate made here): inside it, answers a GET with <paramref name="response"/>.</summary>
    public int TlsOnly(string response)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so that OpenSSL gets the private key with the certificate.
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        return Listen(async (stream, token) =>
        {
            await using var tls = new SslStream(stream);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, token);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                return; // not a TLS client
            }
            var inside = await ReadRequestAsync(tls, token);
            if (inside.StartsWith("GET ", StringComparison.Ordinal))
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes(response), token);
            }
        });
    }

    /// <summary>Accepts and closes at once, saying nothing: nmap's tcpwrapped.</summary>
    public int HangsUp() => Listen((_, _) => Task.CompletedTask);

    private int Listen(Func<Stream, CancellationToken, Task> serve)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        _listeners.Add(listener);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var token = _stop.Token;
        _loops.Add(Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(token);
                lock (_lock)
                {
                    _connections[port] = _connections.GetValueOrDefault(port) + 1;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        await using var stream = new NetworkStream(client, ownsSocket: false);
                        try
                        {
                            await serve(stream, token);
                        }
                        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                        {
                            // The scanner hung up first (it closes with a reset), or the test is over.
                        }
                    }
                }, token);
            }
        }, token));
        return port;
    }

    /// <summary>Reads until a blank line (an HTTP request's end) or the client stops sending.</summary>
    private static async Task<string> ReadRequestAsync(Stream stream, CancellationToken token)
    {
        var text = new StringBuilder();
        var buffer = new byte[512];
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                break;
            }
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
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
