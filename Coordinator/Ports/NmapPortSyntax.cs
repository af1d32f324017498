using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Ports;

/// <summary>
/// nmap's <c>-p</c> syntax: <c>22,80,443</c>, <c>1000-2000</c>, <c>-100</c> (from 1),
/// <c>60000-</c> (to 65535), <c>-</c> (every port); parts may overlap and come in any order.
/// Not supported, with a message saying so: protocol prefixes (<c>T:</c>, <c>U:</c>), service
/// names and port 0. What nmap adds to the plain <see cref="PortSet"/> form (open bounds, spaces)
/// is rewritten here; the numbers are read and checked by <see cref="PortSet.TryParse"/>.
/// </summary>
public static class NmapPortSyntax
{
    public static bool TryParse(string text, out PortSet ports, out string error)
    {
        ports = PortSet.Empty;
        var parts = new List<string>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            error = part.Length == 0 ? $"empty entry in port list '{text}'"
                : part.Contains(':', StringComparison.Ordinal) ? $"'{part}': protocol prefixes like T: and U: are not supported (TCP only)"
                : part.Any(char.IsLetter) ? $"'{part}': service names are not supported in a port list; give numbers"
                : "";
            if (error.Length > 0)
            {
                return false;
            }
            // An empty bound is nmap's "from the first" or "to the last" port.
            parts.Add(part == "-" ? PortRange.All.ToString()
                : part.StartsWith('-') ? $"{PortRange.MinPort}{part}"
                : part.EndsWith('-') ? $"{part}{PortRange.MaxPort}"
                : part);
        }
        return PortSet.TryParse(string.Join(',', parts), out ports, out error);
    }
}
