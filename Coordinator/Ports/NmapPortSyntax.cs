using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Ports;

/// <summary>
/// nmap's <c>-p</c> syntax: <c>22,80,443</c>, <c>1000-2000</c>, <c>-100</c> (from 1),
/// <c>60000-</c> (to 65535), <c>-</c> (every port); parts may overlap and come in any order.
/// Not supported, with a message saying so: protocol prefixes (<c>T:</c>, <c>U:</c>), service
/// names and port 0.
/// </summary>
public static class NmapPortSyntax
{
    public static bool TryParse(string text, out PortSet ports, out string error)
    {
        ports = PortSet.Empty;
        var ranges = new List<PortRange>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                error = $"empty entry in port list '{text}'";
                return false;
            }
            if (part.Contains(':', StringComparison.Ordinal))
            {
                error = $"'{part}': protocol prefixes like T: and U: are not supported (TCP only)";
                return false;
            }
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var startText = dash < 0 ? part : part[..dash];
            var endText = dash < 0 ? part : part[(dash + 1)..];
            if (!Bound(startText, PortRange.MinPort, out var start) || !Bound(endText, PortRange.MaxPort, out var end))
            {
                error = part.Any(char.IsLetter)
                    ? $"'{part}': service names are not supported in a port list; give numbers"
                    : $"'{part}' is not a port or a range like 1-1024";
                return false;
            }
            if (!PortRange.TryCreate(start, end, out var range, out error))
            {
                error = $"'{part}': {error}";
                return false;
            }
            ranges.Add(range);
        }
        ports = PortSet.Of(ranges);
        error = "";
        return true;
    }

    /// <summary>An empty bound is nmap's "from the first" or "to the last" port.</summary>
    private static bool Bound(string text, int whenEmpty, out int port)
    {
        if (text.Length == 0)
        {
            port = whenEmpty;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}
