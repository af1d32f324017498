namespace PortScan.Shared.Ports;

/// <summary>
/// What version detection (<c>-sV</c>) learned of an open port, in nmap's terms: the service's
/// <paramref name="Name"/>, and what the matching line's templates filled in (product, version,
/// extra info, host name, OS type, device type, CPEs). <paramref name="Method"/> is <c>probed</c>
/// when a probe's answer named it (<paramref name="Conf"/> 10; 8 for <c>tcpwrapped</c>, a service that hung
/// up at once) and <c>table</c> when nothing matched (conf 3: the reports take the services file's
/// name, and <paramref name="Name"/> is null). <paramref name="Tunnel"/> is <c>ssl</c> when the service
/// was found inside TLS (nmap's <c>ssl/http</c>). Every text is printable ASCII, cut to nmap's lengths.
/// </summary>
/// <remarks>Fields that may be absent come last, with defaults, so the protocol reader can leave them out.</remarks>
public sealed record DetectedService(
    string Method,
    int Conf,
    IReadOnlyList<string> Cpe,
    string? Name = null,
    string? Product = null,
    string? Version = null,
    string? ExtraInfo = null,
    string? Hostname = null,
    string? OsType = null,
    string? DeviceType = null,
    string? Tunnel = null)
{
    public const string Probed = "probed";
    public const string Table = "table";
    public const string Ssl = "ssl";

    /// <summary>nmap's lengths of each field (portlist.cc's cstringSanityCheck): longer text is cut.</summary>
    public const int FieldLength = 80;
    public const int ExtraInfoLength = 256;
    public const int TypeLength = 32;

    /// <summary>Nothing matched: the name comes from the services table, as nmap's does.</summary>
    public static DetectedService Unmatched(string? product = null) => new(Table, 3, [], Product: product);

    /// <summary>
    /// nmap's VERSION column: product, version and "(extra info)" joined by spaces, cut with "..."
    /// at 159 characters as nmap's populateFullVersionString cuts it; empty when there is none.
    /// </summary>
    public string FullVersion()
    {
        const int room = 159;
        var text = new System.Text.StringBuilder();
        var left = room;
        var pad = false;
        void Add(string value, bool parenthesized)
        {
            if (left < 8)
            {
                return;
            }
            if (pad)
            {
                text.Append(' ');
                left--;
            }
            if (parenthesized)
            {
                text.Append('(');
                if (left - 2 < value.Length)
                {
                    text.Append(value.AsSpan(0, left - 5)).Append("...");
                    left = 1;
                }
                else
                {
                    text.Append(value);
                    left -= value.Length + 2;
                }
                text.Append(')');
                left--;
                return;
            }
            if (left < value.Length)
            {
                text.Append(value.AsSpan(0, left - 3)).Append("...");
                left = 0;
            }
            else
            {
                text.Append(value);
                left -= value.Length;
            }
            pad = true;
        }
        if (Product is { } product)
        {
            Add(product, false);
        }
        if (Version is { } version)
        {
            Add(version, false);
        }
        if (ExtraInfo is { } extra)
        {
            Add(extra, true);
        }
        return text.ToString();
    }

    /// <summary>Null when every field is as the protocol allows, else what is wrong.</summary>
    public string? Problem()
    {
        static bool Printable(string? text, int length) => text is null || (text.Length is > 0 && text.Length <= length && text.All(c => c is >= ' ' and < '\x7F'));
        return Method is not (Probed or Table) ? $"method '{Method}' is not probed or table"
            : Conf is < 0 or > 10 ? $"conf {Conf} is not from 0 to 10"
            : Tunnel is not (null or Ssl) ? $"tunnel '{Tunnel}' is not ssl"
            : Method == Probed && Name is null ? "a probed service has no name"
            : !Printable(Name, FieldLength) || !Printable(Product, FieldLength) || !Printable(Version, FieldLength)
              || !Printable(Hostname, FieldLength) || !Printable(ExtraInfo, ExtraInfoLength)
              || !Printable(OsType, TypeLength) || !Printable(DeviceType, TypeLength) || Cpe.Any(c => !Printable(c, FieldLength))
                ? "a field is empty, too long, or not printable ASCII"
            : null;
    }
}
