using PortScan.Shared.Ports;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// One <c>Probe</c> of the database and its directives: what it sends, the ports it is meant for
/// (plain and through TLS), its rarity, how long to wait for an answer, which probes' matches also
/// apply to its answers (<c>fallback</c>), and its own match lines, in file order.
/// </summary>
internal sealed class ServiceProbe(Transport transport, string name, byte[] payload, int line)
{
    /// <summary>nmap's default wait for a probe's answer (DEFAULT_SERVICEWAITMS).</summary>
    public const int DefaultTotalWaitMs = 5000;

    /// <summary>nmap's default: a connection closed sooner than this with no data is tcpwrapped (DEFAULT_TCPWRAPPEDMS).</summary>
    public const int DefaultTcpWrappedMs = 2000;

    /// <summary>A probe without a rarity directive (nmap's default, "should almost never have to be relied upon").</summary>
    public const int DefaultRarity = 5;

    private readonly List<ServiceMatch> _matches = [];
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);

    public Transport Transport { get; } = transport;
    public string Name { get; } = name;
    public byte[] Payload { get; } = payload;
    public int Line { get; } = line;

    /// <summary>The NULL probe sends nothing: it waits for a greeting. Only TCP has one.</summary>
    public bool IsNull => Payload.Length == 0;

    public PortSet Ports { get; set; } = PortSet.Empty;
    public PortSet SslPorts { get; set; } = PortSet.Empty;
    public int Rarity { get; set; } = DefaultRarity;
    public int TotalWaitMs { get; set; } = DefaultTotalWaitMs;
    public int TcpWrappedMs { get; set; } = DefaultTcpWrappedMs;

    /// <summary>The names of the fallback directive, as written; resolved into <see cref="Fallbacks"/> once the file is read.</summary>
    public IReadOnlyList<string> FallbackNames { get; set; } = [];

    /// <summary>Whose matches an answer to this probe is tested against, in order: itself, its fallbacks, then (TCP) the NULL probe.</summary>
    public IReadOnlyList<ServiceProbe> Fallbacks { get; set; } = [];

    public IReadOnlyList<ServiceMatch> Matches => _matches;

    public void Add(ServiceMatch match)
    {
        _matches.Add(match);
        _services.Add(match.Service);
    }

    /// <summary>True when the probe is meant for <paramref name="port"/>: its <c>ports</c>, or through TLS its <c>sslports</c>.</summary>
    public bool IsFor(int port, bool tls) => (tls ? SslPorts : Ports).Contains(port);

    /// <summary>True when one of its lines can name <paramref name="service"/>: after a soft match, only such probes are worth sending.</summary>
    public bool CanFind(string service) => _services.Contains(service);

    /// <summary>The first of its lines that matches <paramref name="response"/>, soft or not, as nmap takes it.</summary>
    public MatchDetails? Test(string response)
    {
        foreach (var match in _matches)
        {
            if (match.Test(response) is { } details)
            {
                return details;
            }
        }
        return null;
    }
}
