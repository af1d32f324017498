namespace PortScan.Coordinator.Cli;

/// <summary>
/// How to run portscan again the way this process was run, for the commands it suggests ("Try:
/// …"): <c>dotnet run --project Coordinator --</c> under <c>dotnet run</c>, <c>portscan</c> when that
/// name is on the PATH (an installed tool), else the executable's own path.
/// </summary>
public static class SelfCommand
{
    public static string Prefix { get; } = Find();

    private static string Find()
    {
        if (DotnetRunPrefix() is { } run)
        {
            return run;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, "portscan"))))
        {
            return "portscan";
        }
        var self = Environment.ProcessPath ?? "portscan";
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, self);
        return Quote(relative.StartsWith("..", StringComparison.Ordinal) ? self : $"./{relative}");
    }

    /// <summary>
    /// Under <c>dotnet run</c> the parent is the SDK's dotnet, whose command line ends with the
    /// arguments it passed on: what comes before them is how the user started us.
    /// </summary>
    private static string? DotnetRunPrefix()
    {
        try
        {
            var parent = File.ReadAllText("/proc/self/stat");
            var ppid = parent[(parent.LastIndexOf(')') + 2)..].Split(' ')[1];
            var words = File.ReadAllText($"/proc/{ppid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            string[] ours = Environment.GetCommandLineArgs()[1..];
            if (words.Length < 2 || Path.GetFileName(words[0]) != "dotnet" || words[1] != "run" || !words.AsSpan()[^ours.Length..].SequenceEqual(ours))
            {
                return null;
            }
            var prefix = words[..^ours.Length].Select(Quote).ToList();
            prefix[0] = "dotnet";
            if (prefix[^1] != "--")
            {
                prefix.Add("--");
            }
            return string.Join(' ', prefix);
        }
        catch (IOException)
        {
            return null; // no /proc, or the parent is gone: fall back to the other ways
        }
    }

    /// <summary>A word as a POSIX shell reads it back: quoted when it holds a space, a quote or a dollar.</summary>
    public static string Quote(string word) => word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'" : word;
}
