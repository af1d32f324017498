using System.Net;
using System.Text;
using System.Text.Json;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// A journal read back and checked (<see cref="JournalFormat"/> has the layout): the scan's
/// arguments and directory, and the results it holds. Only the end of the file may be incomplete —
/// a line the coordinator was writing when it was killed, or the zeros a power cut can leave — and
/// that is dropped (<see cref="DroppedBytes"/>); anything else that does not check out is refused.
/// </summary>
public sealed class JournalFile
{
    private JournalFile(string path, string directory, IReadOnlyList<string> arguments, string hash, PriorResults results, long completeLength, long droppedBytes)
    {
        Path = path;
        Directory = directory;
        Arguments = arguments;
        Hash = hash;
        Results = results;
        CompleteLength = completeLength;
        DroppedBytes = droppedBytes;
    }

    public string Path { get; }

    /// <summary>Where the scan was started: its relative paths (reports, -iL) are relative to it.</summary>
    public string Directory { get; }

    /// <summary>The words given to <c>portscan scan</c>, as typed.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public string Hash { get; }

    public PriorResults Results { get; }

    /// <summary>Bytes up to the end of the last complete line: where the next run appends.</summary>
    public long CompleteLength { get; }

    /// <summary>Bytes of an incomplete last line (or trailing zeros) that were not read.</summary>
    public long DroppedBytes { get; }

    /// <summary>True when <paramref name="path"/> begins as a journal does (so it is not a report to look beside).</summary>
    public static bool LooksLikeJournal(string path)
    {
        using var file = File.OpenRead(path);
        var start = new byte[JournalFormat.Magic.Length];
        return file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length
            && Encoding.ASCII.GetString(start) == JournalFormat.Magic;
    }

    /// <exception cref="UsageException">One line: why the file is not a journal that can be resumed.</exception>
    public static JournalFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the journal '{path}': {e.Message}");
        }
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        var complete = end == 0 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, complete);
        }
        catch (DecoderFallbackException)
        {
            throw Refused(path, "it is not text (bytes that are not UTF-8)");
        }
        var lines = text.Split('\n')[..^1];
        if (lines.Length < 4 || lines[0] != JournalFormat.Magic)
        {
            throw Refused(path, lines.Length > 0 && lines[0] == JournalFormat.Magic ? "its header is incomplete" : $"it is not a portscan journal (it does not begin '{JournalFormat.Magic}')");
        }
        if (!lines[1].StartsWith(JournalFormat.DirectoryKey, StringComparison.Ordinal)
            || !lines[2].StartsWith(JournalFormat.ArgumentsKey, StringComparison.Ordinal)
            || !lines[3].StartsWith(JournalFormat.HashKey, StringComparison.Ordinal))
        {
            throw Refused(path, "its header is not cwd, args and hash lines");
        }
        string[]? arguments;
        try
        {
            arguments = JsonSerializer.Deserialize(lines[2][JournalFormat.ArgumentsKey.Length..], JournalJson.Default.StringArray);
        }
        catch (JsonException)
        {
            arguments = null;
        }
        var directory = lines[1][JournalFormat.DirectoryKey.Length..];
        var hash = lines[3][JournalFormat.HashKey.Length..];
        if (arguments is null || JournalFormat.Hash(JournalFormat.Header(directory, arguments)) != hash)
        {
            throw Refused(path, "its arguments do not match their hash (the header was edited or damaged)");
        }

        var results = new PriorResults();
        for (var i = 4; i < lines.Length; i++)
        {
            if (Problem(lines[i], i + 1, hash, results) is { } problem)
            {
                throw Refused(path, $"line {i + 1} {problem}");
            }
        }
        return new JournalFile(path, directory, arguments, hash, results, complete, bytes.Length - complete);
    }

    /// <summary>Adds one result line to <paramref name="results"/>; what is wrong with it when it cannot.</summary>
    private static string? Problem(string line, int number, string hash, PriorResults results)
    {
        var space = line.LastIndexOf(' ');
        if (space < 0 || JournalFormat.Checksum(hash, line[..space]) != line[(space + 1)..])
        {
            return "does not match its checksum (it was edited, cut short or damaged)";
        }
        var payload = line[..space];
        var kind = payload[..Math.Max(0, payload.IndexOf(' '))];
        var rest = payload[(kind.Length + 1)..];
        switch (kind)
        {
            case JournalFormat.PortsKind or JournalFormat.ServiceKind:
                if (!ProtocolCodec.TryParse(rest, out var message, out var error))
                {
                    return $"holds a message that does not parse: {error}";
                }
                switch (message)
                {
                    case PortsMessage batch when kind == JournalFormat.PortsKind:
                        results.AddPorts(batch, number);
                        return null;
                    case ServiceMessage service when kind == JournalFormat.ServiceKind && TransportNames.TryParse(service.Transport, out _):
                        results.AddService(service, number);
                        return null;
                    default:
                        return $"holds a message that is not a {kind} message";
                }
            default:
                var words = rest.Split(' ');
                var state = Enum.GetValues<PortState>().FirstOrDefault(s => s.ToWireName() == kind && s is not (PortState.Open or PortState.Unscanned));
                if (state == PortState.Unscanned || words.Length != 3 || !IPAddress.TryParse(words[0], out var host)
                    || !TransportNames.TryParse(words[1], out var transport) || !PortSet.TryParse(words[2], out var ports, out _))
                {
                    return "is not a result line";
                }
                results.AddRange(host, transport, state, ports, number);
                return null;
        }
    }

    private static UsageException Refused(string path, string why) => new($"cannot resume from '{path}': {why}");
}
