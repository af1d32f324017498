using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Targets;

/// <summary>
/// One target as nmap's users write it: a host name, an IPv4 or IPv6 literal (<c>::1</c>,
/// <c>[::1]</c>), a CIDR block (<c>127.0.0.0/29</c>, <c>::1/128</c>, <c>localhost/30</c>), or IPv4
/// octet ranges (<c>127.0.0.1-8</c>, <c>127.0.0-1.1,3,5</c>, <c>127.0.0.*</c>). Parsed without any
/// lookup; a name is resolved later, once.
/// </summary>
public sealed record TargetSpecification(string Text, string? HostName, int? Prefix, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The most hosts one scan takes, a /12 (see <see cref="WorkList.MaxHosts"/>).</summary>
    public const int MaxHosts = WorkList.MaxHosts;

    // A block of more addresses than MaxHosts is refused by its prefix.
    private static readonly int MaxHostBits = int.Log2(MaxHosts);

    public static TargetSpecification Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new UsageException("a target is empty");
        }
        if (Mistaken(trimmed) is { } hint)
        {
            throw new UsageException(hint);
        }
        var slash = trimmed.LastIndexOf('/');
        var baseText = slash < 0 ? trimmed : trimmed[..slash];
        int? prefix = slash < 0 ? null : ParsePrefix(trimmed, trimmed[(slash + 1)..]);
        var literal = baseText.StartsWith('[') && baseText.EndsWith(']') ? baseText[1..^1] : baseText;

        if (literal.Contains(':', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(literal, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new UsageException($"'{text}' is not a valid IPv6 address");
            }
            return new TargetSpecification(trimmed, null, prefix, Block(trimmed, v6, prefix));
        }
        if (literal.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or ',' or '*'))
        {
            var addresses = OctetRanges(text, literal);
            if (prefix is not null && addresses.Count > 1)
            {
                throw new UsageException($"'{text}' mixes octet ranges with a CIDR prefix");
            }
            return new TargetSpecification(trimmed, null, prefix, prefix is null ? addresses : Block(trimmed, addresses[0], prefix));
        }
        if (Uri.CheckHostName(literal) != UriHostNameType.Dns)
        {
            throw new UsageException($"'{text}' is not a valid host name or address");
        }
        return new TargetSpecification(trimmed, literal, prefix, []);
    }

    /// <summary>
    /// What a target that cannot be one probably meant: a URL (<c>http://127.0.0.1/</c>) or a host
    /// with a port (<c>127.0.0.1:22</c>, <c>[::1]:22</c>, <c>localhost:22</c>), which nmap does not take either.
    /// </summary>
    private static string? Mistaken(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var authority = text[(scheme + 3)..].Split('/', '?', '#')[0];
            var host = authority.Contains('@', StringComparison.Ordinal) ? authority[(authority.LastIndexOf('@') + 1)..] : authority;
            return HostAndPort(host) is { } hostPort
                ? $"'{text}' is a URL: give the host and the port apart, '{hostPort.Host} -p {hostPort.Port}'"
                : $"'{text}' is a URL: give the host alone, '{host}'";
        }
        return HostAndPort(text) is { } withPort
            ? $"'{text}' names a port: give it with -p, '{withPort.Host} -p {withPort.Port}'"
            : null;
    }

    /// <summary><c>host:port</c> or <c>[v6]:port</c> split in two, or null when the text is not written that way.</summary>
    private static (string Host, string Port)? HostAndPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !text[(colon + 1)..].All(char.IsAsciiDigit))
        {
            return null;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return (host[1..^1], text[(colon + 1)..]);
        }
        // A bare IPv6 literal has colons of its own (::1, fe80::22): only IPv4 and names are read as host:port.
        return host.Contains(':', StringComparison.Ordinal) ? null : (host, text[(colon + 1)..]);
    }

    /// <summary>Every address of the block that <paramref name="address"/> with <paramref name="prefix"/> names, network and broadcast included (as nmap does).</summary>
    public static IReadOnlyList<IPAddress> Block(string text, IPAddress address, int? prefix)
    {
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = prefix ?? bits;
        if (length > bits)
        {
            throw new UsageException($"'{text}': an {(bits == 32 ? "IPv4" : "IPv6")} prefix is at most /{bits}");
        }
        var hostBits = bits - length;
        if (hostBits > MaxHostBits)
        {
            throw new UsageException($"'{text}' is more than {MaxHosts:N0} addresses; a scan takes at most a /{bits - MaxHostBits}");
        }
        var size = 1 << hostBits;
        var first = AddressArithmetic.ToNumber(address) & ~(UInt128)(size - 1);
        return [.. Enumerable.Range(0, size).Select(i => AddressArithmetic.FromNumber(first + (UInt128)i, address))];
    }

    private static int ParsePrefix(string text, string prefix) =>
        prefix.Length is > 0 and <= 3 && int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            ? bits
            : throw new UsageException($"'{text}' has an invalid CIDR prefix '/{prefix}'");

    /// <summary>nmap's IPv4 octet ranges: each of the four octets is <c>*</c> or a comma list of <c>n</c>, <c>n-m</c>, <c>-m</c>, <c>n-</c>.</summary>
    private static List<IPAddress> OctetRanges(string text, string literal)
    {
        var parts = literal.Split('.');
        if (parts.Length != 4)
        {
            throw new UsageException($"'{text}' is not a valid IPv4 address or range");
        }
        var octets = parts.Select(part => Octet(text, part)).ToArray();
        var count = octets.Aggregate(1L, (product, values) => product * values.Count);
        if (count > MaxHosts)
        {
            throw new UsageException($"'{text}' is {count:N0} addresses; a scan takes at most {MaxHosts:N0}");
        }
        var addresses = new List<IPAddress>((int)count);
        foreach (var a in octets[0])
        {
            foreach (var b in octets[1])
            {
                foreach (var c in octets[2])
                {
                    foreach (var d in octets[3])
                    {
                        addresses.Add(new IPAddress([a, b, c, d]));
                    }
                }
            }
        }
        return addresses;
    }

    private static List<byte> Octet(string text, string part)
    {
        if (part == "*")
        {
            return [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        }
        var values = new List<byte>();
        foreach (var item in part.Split(','))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var low = dash < 0 ? Number(text, item) : dash == 0 ? 0 : Number(text, item[..dash]);
            var high = dash < 0 ? low : dash == item.Length - 1 ? 255 : Number(text, item[(dash + 1)..]);
            if (low > high)
            {
                throw new UsageException($"'{text}': the octet range {item} runs backwards");
            }
            for (var value = low; value <= high; value++)
            {
                if (!values.Contains((byte)value))
                {
                    values.Add((byte)value);
                }
            }
        }
        return values;
    }

    private static int Number(string text, string octet) =>
        octet.Length is > 0 and <= 3 && int.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 255
            ? value
            : throw new UsageException($"'{text}' is not a valid IPv4 address or range ('{octet}' is not an octet, 0-255)");
}
