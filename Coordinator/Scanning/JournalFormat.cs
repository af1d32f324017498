using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// The journal's layout, owned in one place so its writer (<see cref="ScanJournal"/>) and its reader
/// (<see cref="JournalFile"/>) cannot drift. A header of four lines, then one result line at a time:
/// <code>
/// portscan journal 1
/// cwd /home/me/scans
/// args ["127.0.0.1","-p-","-oA","lab"]
/// hash 3b5c…                                  (SHA-256 of the three lines above)
/// closed 127.0.0.1 tcp 1-21,23-79 9f0e1d2c    (a state, a host, a transport, ports in -p syntax)
/// ports {"type":"ports",…} 4a5b6c7d           (open ports and rejected filtered ones, a protocol message)
/// service {"type":"service",…} 0a1b2c3d       (-sV's finding, a protocol message)
/// </code>
/// Every result line ends with a checksum of the header's hash and the line, so a line edited, cut
/// short, or copied from another scan's journal is found, and never merged.
/// </summary>
internal static class JournalFormat
{
    public const string Magic = "portscan journal 1";
    public const string DirectoryKey = "cwd ";
    public const string ArgumentsKey = "args ";
    public const string HashKey = "hash ";
    public const string PortsKind = "ports";
    public const string ServiceKind = "service";

    /// <summary>The three lines the hash covers, each with its newline.</summary>
    public static string Header(string directory, IReadOnlyList<string> arguments) =>
        $"{Magic}\n{DirectoryKey}{directory}\n{ArgumentsKey}{JsonSerializer.Serialize([.. arguments], JournalJson.Default.StringArray)}\n";

    public static string Hash(string header) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header)));

    /// <summary>Eight hex digits: enough to find a damaged line, short enough to cost nothing on a full range.</summary>
    public static string Checksum(string hash, string payload)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{hash}\n{payload}"), digest);
        return Convert.ToHexStringLower(digest[..4]);
    }

    public static string Line(string hash, string payload) => string.Create(CultureInfo.InvariantCulture, $"{payload} {Checksum(hash, payload)}\n");
}

/// <summary>The header's argument list, read and written without reflection.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class JournalJson : JsonSerializerContext;
