using PortScan.Coordinator.Cli;

namespace PortScan.Coordinator.Targets;

/// <summary>
/// nmap's <c>-iL</c> input list: targets separated by whitespace or line breaks, <c>#</c> to the end
/// of a line is a comment, blank lines are ignored; <c>-</c> reads standard input.
/// </summary>
public static class TargetFile
{
    public static IReadOnlyList<string> Read(string path, TextReader stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read target list '{path}': {e.Message}");
        }
        return Parse(text);
    }

    public static IReadOnlyList<string> Parse(string text) =>
        [.. text.Split('\n')
            .Select(line => line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line)
            .SelectMany(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))];
}
