using System.CommandLine;
using System.CommandLine.Help;
using PortScan.Coordinator.Commands;
using PortScan.Coordinator.Launching;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// The entry point, with stdout and stderr injected so tests run exactly what users run. Parse
/// errors and user mistakes become one line on stderr and exit code 2; only bugs throw.
/// </summary>
public static class PortScanCli
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, null, cancellationToken);

    /// <param name="spare">A worker started before the parse, for a scan's first (<see cref="SpareWorker"/>); the caller disposes it.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, SpareWorker? spare, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && Misspelt(args[0]) is { } command)
        {
            await stderr.WriteLineAsync($"portscan: unknown command '{args[0]}': did you mean 'portscan {command}'? (see 'portscan --help')").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        var words = WithDefaultCommand(args);
        // Only the command that runs is built: building all five with their options measured a
        // fifth of a one-port scan's parse. The root's own help and --version need only their names.
        var root = Root(words.FirstOrDefault(w => Commands.Any(c => c.Name == w)), spare);
        // No response files: "@FILE" is --hosts' own syntax (a host list), never a file of arguments.
        var parse = root.Parse(words, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // --help wins over whatever else is missing or wrong on the line, as it does in nmap.
        if (parse.Errors.Count > 0 && parse.Action is not HelpWriter)
        {
            // An option no command took is named as one, not as whatever the parser was expecting there.
            // Some parser messages span lines (a list of allowed values): keep the promise of one line.
            var message = parse.UnmatchedTokens.FirstOrDefault(UnknownOptions.LooksLikeOption) is { } unknown
                ? UnknownOptions.Describe(unknown)
                : string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var help = parse.CommandResult.Command is RootCommand ? "portscan --help" : $"portscan {parse.CommandResult.Command.Name} --help";
            await stderr.WriteLineAsync($"portscan: {message} (see '{help}')").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        try
        {
            // ProcessTerminationTimeout null: Ctrl-C and SIGTERM are handled by StopSignals, which reaches us as the token.
            var configuration = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"portscan: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The commands by name, each built only when asked for.</summary>
    private static readonly (string Name, string Summary, Func<SpareWorker?, Command> Create)[] Commands =
    [
        ("scan", ScanCommand.Summary, spare => new ScanCommand(spare)),
        ("plan", PlanCommand.Summary, _ => new PlanCommand()),
        ("lab", LabCommand.Summary, _ => new LabCommand()),
        ("demo", DemoCommand.Summary, _ => new DemoCommand()),
        ("bench", BenchCommand.Summary, _ => new BenchCommand()),
        ("resume", ResumeCommand.Summary, _ => new ResumeCommand()),
    ];

    /// <summary>
    /// The root with the command <paramref name="only"/> built with its options; without one, the
    /// root lists every command by name and summary (its own --help and --version), building none.
    /// </summary>
    public static RootCommand Root(string? only = null, SpareWorker? spare = null)
    {
        var root = new RootCommand("portscan: a TCP and UDP port scanner that splits hosts × ports into slices and scans each slice in a worker process of its own");
        foreach (var (name, summary, create) in Commands)
        {
            if (only is null)
            {
                root.Add(new Command(name, summary));
            }
            else if (only == name)
            {
                root.Add(create(spare));
            }
        }
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpWriter();
        }
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Aliases.Add("-V"); // nmap's spelling
        }
        return root;
    }

    /// <summary>
    /// A first word one slip away from a command's name (<c>sacn</c>, <c>sca</c>, <c>bencj</c>) is a
    /// typo, not a host to resolve. One slip, not two: <c>dev</c> and <c>web</c> are host names.
    /// </summary>
    private static string? Misspelt(string word) =>
        word.Length >= 3 && word.All(char.IsAsciiLetterLower)
            ? Commands.Select(c => c.Name).FirstOrDefault(name => name != word && IsOneSlip(name, word))
            : null;

    /// <summary>One letter changed, added or dropped, or two neighbours swapped.</summary>
    private static bool IsOneSlip(string a, string b)
    {
        if (a.Length == b.Length)
        {
            var differ = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
            return differ.Count == 1
                || (differ.Count == 2 && differ[1] == differ[0] + 1 && a[differ[0]] == b[differ[1]] && a[differ[1]] == b[differ[0]]);
        }
        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        return longer.Length == shorter.Length + 1
            && Enumerable.Range(0, longer.Length).Any(i => longer.Remove(i, 1) == shorter);
    }

    /// <summary>
    /// nmap's habit, <c>portscan 127.0.0.1 -p 22</c>: when the first word is neither a command nor
    /// one of the root's own options, the words are <c>scan</c>'s. No words at all show the help, as nmap does.
    /// </summary>
    internal static string[] WithDefaultCommand(string[] args)
    {
        if (args.Length == 0)
        {
            return ["--help"];
        }
        var first = args[0];
        if (first == "--resume")
        {
            return ["resume", .. args[1..]]; // nmap's spelling
        }
        var named = Commands.Any(c => c.Name == first) || first is "-h" or "-?" or "--help" or "-V" or "--version";
        return named ? args : ["scan", .. args];
    }
}
