using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Cli;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Resolves a target once, in the coordinator, so every worker scans the same address and no
/// worker does a DNS lookup of its own.
/// </summary>
public static class TargetResolver
{
    public static async Task<ResolvedTarget> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        var name = text.Trim();
        if (name.Length == 0)
        {
            throw new UsageException("the target is empty");
        }
        var literal = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;

        if (literal.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(literal, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? new ResolvedTarget(name, v6)
                : throw new UsageException($"'{text}' is not a valid IPv6 address");
        }
        if (literal.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            // IPAddress.TryParse also takes inet_aton forms such as "127.1"; a scanner should not guess.
            return TryParseDottedQuad(literal, out var v4)
                ? new ResolvedTarget(name, v4)
                : throw new UsageException($"'{text}' is not a valid IPv4 address");
        }
        if (Uri.CheckHostName(literal) != UriHostNameType.Dns)
        {
            throw new UsageException($"'{text}' is not a valid host name or address");
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(literal, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            throw new UsageException($"cannot resolve host '{text}'");
        }
        // Like nmap, prefer IPv4 when a name has both (localhost usually does).
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            ?? throw new UsageException($"cannot resolve host '{text}'");
        return new ResolvedTarget(name, chosen);
    }

    private static bool TryParseDottedQuad(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }
        address = new IPAddress(bytes);
        return true;
    }
}
