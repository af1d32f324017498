using System.Globalization;

namespace PortScan.Coordinator.Output;

/// <summary>TCP service names by port, read from /etc/services when the file is there (as nmap falls back to it).</summary>
public sealed class ServiceNames
{
    private readonly Dictionary<int, string> _names;

    private ServiceNames(Dictionary<int, string> names) => _names = names;

    public static ServiceNames Empty { get; } = new([]);

    public string? this[int port] => _names.TryGetValue(port, out var name) ? name : null;

    public static ServiceNames Load(string path = "/etc/services")
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
                && portAndProtocol[1] == "tcp"
                && int.TryParse(portAndProtocol[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                names.TryAdd(port, fields[0]);
            }
        }
        return new ServiceNames(names);
    }
}
