using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Ports;

/// <summary>
/// <c>--top-ports N</c>: the N ports of a transport most often found open. Ranked, as nmap does,
/// by the open-frequency column of nmap's services file when it is installed; otherwise from a
/// built-in list of the top 1,000 made from that file (Ports/top-tcp-ports.txt and
/// top-udp-ports.txt say how).
/// </summary>
public static class TopPorts
{
    public const string NmapServicesPath = "/usr/share/nmap/nmap-services";

    /// <summary>The most ports the built-in list can give.</summary>
    public const int BuiltInCount = 1000;

    public static PortSet Take(int count, Transport transport, string nmapServicesPath = NmapServicesPath)
    {
        var ranked = File.Exists(nmapServicesPath) ? RankNmapServices(File.ReadLines(nmapServicesPath), transport) : BuiltIn(transport);
        return PortSet.Of(ranked.Take(count).Select(p => new PortRange(p, p)));
    }

    /// <summary>Lines <c>name port/protocol frequency [# comment]</c>: the transport's ports by frequency, ties by port.</summary>
    public static IEnumerable<int> RankNmapServices(IEnumerable<string> lines, Transport transport)
    {
        var suffix = "/" + transport.ToWireName();
        var entries = new List<(double Frequency, int Port)>();
        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3
                && fields[1].EndsWith(suffix, StringComparison.Ordinal)
                && int.TryParse(fields[1].AsSpan(0, fields[1].Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port is >= PortRange.MinPort and <= PortRange.MaxPort
                && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var frequency))
            {
                entries.Add((frequency, port));
            }
        }
        return entries.OrderByDescending(e => e.Frequency).ThenBy(e => e.Port).Select(e => e.Port).Distinct();
    }

    public static IEnumerable<int> BuiltIn(Transport transport)
    {
        using var stream = typeof(TopPorts).Assembly.GetManifestResourceStream($"top-{transport.ToWireName()}-ports.txt")
            ?? throw new InvalidOperationException("the built-in top-ports list is missing from the build");
        using var reader = new StreamReader(stream);
        var ports = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('#') && line.Length > 0)
            {
                ports.Add(int.Parse(line, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }
}
