using System.Globalization;
using System.Text;
using PortScan.Shared.Ports;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// A database in nmap's <c>nmap-service-probes</c> format, read as nmap's
/// <c>parse_nmap_service_probe_file</c> reads it: <c>Exclude</c> first (once), then <c>Probe</c>
/// lines, each followed by its <c>ports</c>, <c>sslports</c>, <c>rarity</c>, <c>fallback</c>,
/// <c>totalwaitms</c>, <c>tcpwrappedms</c>, <c>match</c> and <c>softmatch</c> lines; <c>#</c> starts a
/// comment line. The file is Latin-1: patterns match bytes, a char a byte. A line nmap would refuse is
/// refused with its number (<see cref="ProbeFileException"/>).
/// </summary>
internal sealed class ProbeDatabase
{
    /// <summary>The file portscan ships, next to portscan-worker (its build copies it there).</summary>
    public const string DefaultFileName = "portscan-service-probes";

    // nmap reads lines into an 8 KB buffer and refuses longer ones.
    private const int MaxLineLength = 8191;

    private ProbeDatabase(ServiceProbe? nullProbe, IReadOnlyList<ServiceProbe> probes, PortSelection excluded)
    {
        NullProbe = nullProbe;
        Probes = probes;
        Excluded = excluded;
    }

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, DefaultFileName);

    /// <summary>The probe that sends nothing and waits for a greeting (TCP); null when the file has none.</summary>
    public ServiceProbe? NullProbe { get; }

    /// <summary>Every other probe, in file order: the order they are tried in.</summary>
    public IReadOnlyList<ServiceProbe> Probes { get; }

    /// <summary>The Exclude directive's ports: never probed, as nmap leaves them (printers that print whatever they are sent).</summary>
    public PortSelection Excluded { get; }

    /// <summary>Every match line of the file.</summary>
    public IEnumerable<ServiceMatch> Matches =>
        (NullProbe is null ? Probes : Probes.Prepend(NullProbe)).SelectMany(p => p.Matches);

    /// <exception cref="ProbeFileException">The file cannot be read, or a line of it is wrong.</exception>
    public static ProbeDatabase Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeFileException(path, 0, e.Message);
        }
        return Parse(text, path);
    }

    /// <param name="name">The file's name, for messages.</param>
    public static ProbeDatabase Parse(string text, string name)
    {
        ServiceProbe? nullProbe = null;
        var probes = new List<ServiceProbe>();
        ServiceProbe? current = null;
        PortSelection? excluded = null;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            if (raw.Length > MaxLineLength)
            {
                throw new ProbeFileException(name, number, $"the line is longer than {MaxLineLength} characters");
            }
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#' || line.All(char.IsWhiteSpace))
            {
                continue;
            }
            try
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var directive = space < 0 ? line : line[..space];
                var rest = space < 0 ? "" : line[(space + 1)..];
                switch (directive)
                {
                    case "Exclude" when current is not null:
                        throw new FormatException("Exclude must come before every Probe");
                    case "Exclude" when excluded is not null:
                        throw new FormatException("only one Exclude directive is allowed");
                    case "Exclude":
                        excluded = ExcludedPorts(rest);
                        break;
                    case "Probe":
                        current = ProbeLine(rest, number);
                        if (current.IsNull)
                        {
                            if (current.Transport != Transport.Tcp || nullProbe is not null)
                            {
                                throw new FormatException("only one NULL probe (an empty q||) is allowed, and it is TCP");
                            }
                            nullProbe = current;
                        }
                        else
                        {
                            probes.Add(current);
                        }
                        break;
                    case var _ when current is null:
                        throw new FormatException("a line before the first Probe must be a comment or Exclude");
                    case "ports":
                        current.Ports = PortList(rest);
                        break;
                    case "sslports":
                        current.SslPorts = PortList(rest);
                        break;
                    case "rarity":
                        current.Rarity = Integer(rest, 1, 9, "rarity");
                        break;
                    case "fallback":
                        current.FallbackNames = rest.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                        break;
                    case "totalwaitms":
                        current.TotalWaitMs = Integer(rest, 100, 300000, "totalwaitms");
                        break;
                    case "tcpwrappedms":
                        current.TcpWrappedMs = Integer(rest, 100, 300000, "tcpwrappedms");
                        break;
                    case "match" or "softmatch":
                        current.Add(MatchLine.Parse(rest, directive == "softmatch", number));
                        break;
                    default:
                        throw new FormatException($"unknown directive '{directive}'");
                }
            }
            catch (FormatException e)
            {
                throw new ProbeFileException(name, number, e.Message);
            }
        }
        ResolveFallbacks(nullProbe, probes, name);
        return new ProbeDatabase(nullProbe, probes, excluded ?? PortSelection.Empty);
    }

    /// <summary>
    /// Translates every pattern now; the first that cannot be is reported with its line. Compiling
    /// them all too would more than double the cost (measured on nmap's file: docs/benchmarks.md),
    /// and what translates compiles: every one of nmap's 11,917 patterns does (NmapProbeFileTests).
    /// </summary>
    public int Check(string name)
    {
        var count = 0;
        foreach (var match in Matches)
        {
            try
            {
                match.Translate();
            }
            catch (FormatException e)
            {
                throw new ProbeFileException(name, match.Line, $"the pattern cannot be used: {e.Message}");
            }
            count++;
        }
        return count;
    }

    /// <summary><c>TCP NAME q|payload|</c> (or UDP), with nmap's escapes in the payload; an optional <c>no-payload</c> after it changes nothing here.</summary>
    private static ServiceProbe ProbeLine(string text, int line)
    {
        var transport = text.StartsWith("TCP ", StringComparison.Ordinal) ? Transport.Tcp
            : text.StartsWith("UDP ", StringComparison.Ordinal) ? Transport.Udp
            : throw new FormatException("a Probe's protocol must be TCP or UDP");
        var rest = text[4..];
        if (rest.Length == 0 || !char.IsAsciiLetterOrDigit(rest[0]))
        {
            throw new FormatException("bad probe name");
        }
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            throw new FormatException("nothing after the probe's name");
        }
        var name = rest[..space];
        var payload = rest[(space + 1)..];
        if (payload.Length < 2 || payload[0] != 'q')
        {
            throw new FormatException("the probe string must begin with 'q'");
        }
        var delimiter = payload[1];
        var end = payload.IndexOf(delimiter, 2);
        if (end < 0)
        {
            throw new FormatException("the probe string has no ending delimiter");
        }
        var bytes = ProbeString.Unescape(payload[2..end]) ?? throw new FormatException("bad escape in the probe string");
        return new ServiceProbe(transport, name, bytes, line);
    }

    /// <summary>nmap's port lists: <c>21-25,53,80</c>, spaces allowed; port 0 is allowed and never scanned.</summary>
    private static PortSet PortList(string text)
    {
        var ranges = new List<PortRange>();
        foreach (var part in text.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2)
            {
                throw new FormatException("an example of a proper port list is \"21-25,53,80\"");
            }
            var start = Integer(bounds[0], 0, 65535, "a port");
            var end = bounds.Length == 2 ? Integer(bounds[1], 0, 65535, "a port") : start;
            if (end < start)
            {
                throw new FormatException($"the range {start}-{end} is backwards");
            }
            if (end > 0)
            {
                ranges.Add(new PortRange(Math.Max(1, start), end));
            }
        }
        return PortSet.Of(ranges);
    }

    /// <summary>Exclude's list, in nmap's -p syntax: ports without a T: or U: prefix are excluded for both.</summary>
    private static PortSelection ExcludedPorts(string text)
    {
        var tcp = new List<PortRange>();
        var udp = new List<PortRange>();
        // Until a prefix: both transports. 'S' (SCTP) ports are skipped: portscan has no SCTP.
        var prefix = ' ';
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw;
            if (part.Length > 2 && part[1] == ':' && part[0] is 'T' or 'U' or 'S')
            {
                prefix = part[0];
                part = part[2..];
            }
            var ranges = PortList(part).Ranges;
            if (prefix is ' ' or 'T')
            {
                tcp.AddRange(ranges);
            }
            if (prefix is ' ' or 'U')
            {
                udp.AddRange(ranges);
            }
        }
        return new PortSelection(PortSet.Of(tcp), PortSet.Of(udp));
    }

    private static int Integer(string text, int min, int max, string what)
    {
        var trimmed = text.Trim();
        return int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{what} must be a whole number from {min} to {max}, not '{trimmed}'");
    }

    /// <summary>
    /// nmap's compileFallbacks: an answer is tested against the probe's own matches, then its
    /// fallbacks' (a name is looked up among probes of the same protocol first), then, for TCP, the
    /// NULL probe's.
    /// </summary>
    private static void ResolveFallbacks(ServiceProbe? nullProbe, List<ServiceProbe> probes, string name)
    {
        if (nullProbe is not null)
        {
            nullProbe.Fallbacks = [nullProbe];
        }
        foreach (var probe in probes)
        {
            var chain = new List<ServiceProbe> { probe };
            foreach (var fallback in probe.FallbackNames)
            {
                var found = probe.Transport == Transport.Tcp && nullProbe?.Name == fallback ? nullProbe
                    : probes.Find(p => p.Transport == probe.Transport && p.Name == fallback)
                    ?? probes.Find(p => p.Name == fallback)
                    ?? throw new ProbeFileException(name, probe.Line, $"probe {probe.Name} falls back to '{fallback}', which no probe is called");
                chain.Add(found);
            }
            if (probe.Transport == Transport.Tcp && nullProbe is not null)
            {
                chain.Add(nullProbe);
            }
            probe.Fallbacks = chain;
        }
    }
}
