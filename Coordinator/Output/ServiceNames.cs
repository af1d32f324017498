using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// Service names by transport and port: from nmap's services file when nmap is installed (the
/// names nmap prints), else from /etc/services, as nmap itself falls back. nmap's file is 1 MB;
/// reading it measured 40 ms, a quarter of a one-port scan, so a scan starts reading it on another
/// core while its workers start, and the first lookup waits for it.
/// </summary>
public sealed class ServiceNames
{
    // Keyed by Key(transport, port), an int: hashing 27,000 tuple keys measured several ms more.
    private readonly Task<Dictionary<int, string>> _names;

    private ServiceNames(Task<Dictionary<int, string>> names) => _names = names;

    public static ServiceNames Empty { get; } = new(Task.FromResult(new Dictionary<int, string>()));

    public string? this[Transport transport, int port] => _names.Result.TryGetValue(Key(transport, port), out var name) ? name : null;

    private static int Key(Transport transport, int port) => ((int)transport << 16) | port;

    /// <summary>Starts reading in the background and returns at once.</summary>
    public static ServiceNames Load() => new(Task.Run(() =>
        (File.Exists(Ports.TopPorts.NmapServicesPath) ? Load(Ports.TopPorts.NmapServicesPath) : Load("/etc/services"))._names.Result));

    public static ServiceNames Load(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadLines(path)) : Empty;
        }
        catch (IOException)
        {
            return Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return Empty;
        }
    }

    /// <summary>Lines of the form <c>name port/protocol [aliases] [# comment]</c>; the first name for a port wins.</summary>
    public static ServiceNames Parse(IEnumerable<string> lines)
    {
        var names = new Dictionary<int, string>();
        foreach (var raw in lines)
        {
            var line = raw.Split('#', 2)[0];
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }
            var portAndProtocol = fields[1].Split('/');
            if (portAndProtocol.Length == 2
                && TransportNames.TryParse(portAndProtocol[1], out var transport)
                && int.TryParse(portAndProtocol[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                names.TryAdd(Key(transport, port), fields[0]);
            }
        }
        return new ServiceNames(Task.FromResult(names));
    }
}
