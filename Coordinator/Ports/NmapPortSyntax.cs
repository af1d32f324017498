using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Ports;

/// <summary>
/// nmap's <c>-p</c> syntax: <c>22,80,443</c>, <c>1000-2000</c>, <c>-100</c> (from 1),
/// <c>60000-</c> (to 65535), <c>-</c> (every port); parts may overlap and come in any order.
/// <c>T:</c> and <c>U:</c> make the ports after them TCP or UDP only (<c>-p U:53,111,T:21-25,80</c>);
/// ports before any prefix are meant for every transport scanned. Not supported, with a message
/// saying so: the SCTP and IP-protocol prefixes, service names and port 0. What nmap adds to the
/// plain <see cref="PortSet"/> form (open bounds, spaces) is rewritten here; the numbers are read
/// and checked by <see cref="PortSet.TryParse"/>.
/// </summary>
public static class NmapPortSyntax
{
    /// <summary>A parsed port list: ports for every transport, and ports given with a prefix.</summary>
    public sealed record PortList(PortSet Any, PortSet Tcp, PortSet Udp)
    {
        /// <summary>The ports of the transports being scanned; a prefix for one that is not is the user's mistake.</summary>
        public bool TryFor(bool tcp, bool udp, out PortSelection ports, out string error)
        {
            ports = PortSelection.Empty;
            error = !tcp && !Tcp.IsEmpty ? "names TCP ports (T:) but TCP is not being scanned: add --tcp (-sT)"
                : !udp && !Udp.IsEmpty ? "names UDP ports (U:) but UDP is not being scanned: add --udp (-sU)"
                : "";
            if (error.Length > 0)
            {
                return false;
            }
            ports = new PortSelection(
                tcp ? PortSet.Of(Any.Ranges.Concat(Tcp.Ranges)) : PortSet.Empty,
                udp ? PortSet.Of(Any.Ranges.Concat(Udp.Ranges)) : PortSet.Empty);
            return true;
        }
    }

    public static bool TryParse(string text, out PortList ports, out string error)
    {
        ports = new PortList(PortSet.Empty, PortSet.Empty, PortSet.Empty);
        var parts = new Dictionary<char, List<string>> { [' '] = [], ['T'] = [], ['U'] = [] };
        var prefix = ' ';
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length >= 2 && part[1] == ':')
            {
                prefix = char.ToUpperInvariant(part[0]);
                if (prefix is not ('T' or 'U'))
                {
                    error = $"'{part}': only the T: (TCP) and U: (UDP) prefixes are supported";
                    return false;
                }
                part = part[2..].Trim();
            }
            error = part.Length == 0 ? $"empty entry in port list '{text}'"
                : part.Contains(':', StringComparison.Ordinal) || part.Contains('/', StringComparison.Ordinal) ? $"'{part}' is not a port, a range or a T:/U: prefix"
                : part.Any(char.IsLetter) ? $"'{part}': service names are not supported in a port list; give numbers"
                : "";
            if (error.Length > 0)
            {
                return false;
            }
            // An empty bound is nmap's "from the first" or "to the last" port.
            parts[prefix].Add(part == "-" ? PortRange.All.ToString()
                : part.StartsWith('-') ? $"{PortRange.MinPort}{part}"
                : part.EndsWith('-') ? $"{part}{PortRange.MaxPort}"
                : part);
        }
        var sets = new Dictionary<char, PortSet>();
        foreach (var (key, list) in parts)
        {
            if (list.Count == 0)
            {
                sets[key] = PortSet.Empty;
            }
            else if (PortSet.TryParse(string.Join(',', list), out var set, out error))
            {
                sets[key] = set;
            }
            else
            {
                return false;
            }
        }
        ports = new PortList(sets[' '], sets['T'], sets['U']);
        error = "";
        return true;
    }
}
