using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Prints <c>--help</c>: the command's description, usage, its <see cref="HelpPage"/>'s groups of
/// options with placeholders that say what a value is (FILE, N, TIME, PORTS) and defaults written
/// as they are typed (<c>1s</c>, not <c>00:00:01</c>), then examples and notes. Every visible
/// option of the command appears exactly once: one that no group names goes under "Other options".
/// </summary>
internal sealed class HelpWriter : SynchronousCommandLineAction
{
    private const int Width = 100;
    private const int Indent = 2;
    private const int MaxColumn = 28;

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var output = parseResult.InvocationConfiguration.Output;
        output.Write(Render(command));
        return ExitCodes.Success;
    }

    public static string Render(Command command)
    {
        var text = new StringBuilder();
        text.AppendLine(command.Description).AppendLine();
        if (command is RootCommand root)
        {
            WriteRoot(text, root);
            return text.ToString();
        }

        var page = (command as IHasHelpPage)?.Help;
        var arguments = command.Arguments.Where(a => !a.Hidden).ToList();
        var usage = page?.Usage ?? string.Join(' ', ["portscan", command.Name, .. arguments.Select(a => $"[{ArgumentLabel(a)}]"), "[options]"]);
        text.AppendLine(CultureInfo.InvariantCulture, $"Usage: {usage}").AppendLine();
        var groups = page?.Groups ?? (arguments.Count > 0 ? [new HelpGroup("Arguments", [.. arguments])] : []);
        var grouped = groups.SelectMany(g => g.Symbols).ToHashSet();
        List<(string Title, List<(string Label, string Description)> Rows)> sections =
        [
            .. groups.Select(g => (g.Title, g.Symbols.Where(s => !s.Hidden).Select(Row).ToList())),
            (groups.Any(g => g.Symbols.Any(s => s is Option)) ? "Other options" : "Options",
                command.Options.Where(o => !o.Hidden && !grouped.Contains(o)).Select(Row).ToList()),
        ];
        // One description column for the whole page; a longer label gets a line of its own.
        var column = Math.Min(sections.SelectMany(s => s.Rows).Select(r => r.Label.Length).DefaultIfEmpty(0).Max() + Indent + 2, MaxColumn);
        foreach (var (title, rows) in sections)
        {
            WriteGroup(text, title, rows, column);
        }
        if (page is { Examples.Count: > 0 })
        {
            text.AppendLine("Examples:");
            foreach (var example in page.Examples)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {example.CommandLine}");
                Wrap(text, example.What, 6);
            }
            text.AppendLine();
        }
        foreach (var note in page?.Notes ?? [])
        {
            text.AppendLine(note).AppendLine();
        }
        return text.ToString();
    }

    private static void WriteRoot(StringBuilder text, RootCommand root)
    {
        text.AppendLine("Usage: portscan [scan] TARGET... [options]     (scan is the command when none is named)");
        text.AppendLine("       portscan COMMAND [options]").AppendLine();
        // Loops, not LINQ: a LINQ chain's iterators are generic virtual methods that ReadyToRun leaves
        // to the JIT, and this page is all `portscan --help` does (docs/benchmarks.md, "Start-up").
        var commands = new List<(string Label, string Description)>();
        foreach (var command in root.Subcommands)
        {
            if (!command.Hidden)
            {
                commands.Add((command.Name, command.Description ?? ""));
            }
        }
        var options = new List<(string Label, string Description)>();
        var column = 0;
        foreach (var option in root.Options)
        {
            if (!option.Hidden)
            {
                var row = Row(option);
                options.Add(row);
                column = Math.Max(column, row.Label.Length + Indent + 2);
            }
        }
        WriteGroup(text, "Commands", commands, column);
        WriteGroup(text, "Options", options, column);
        text.AppendLine("""
            Examples:
              portscan 127.0.0.1 -p 22,80,443      scan three ports of this machine
              portscan lab                         a target with known open, closed and filtered ports
              portscan demo                        why parallelism pays, in about 15 s
              portscan plan -p 1-1000 -w 4         how 1,000 ports are sliced for four workers

            """);
        text.AppendLine(ExitCodes.Help).AppendLine();
        text.AppendLine("'portscan COMMAND --help' shows a command's options, examples and exit codes.").AppendLine();
    }

    private static void WriteGroup(StringBuilder text, string title, List<(string Label, string Description)> rows, int column)
    {
        if (rows.Count == 0)
        {
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}:");
        foreach (var (label, description) in rows)
        {
            var head = new string(' ', Indent) + label;
            if (head.Length + 2 > column)
            {
                text.AppendLine(head);
                Wrap(text, description, column);
            }
            else
            {
                text.Append(head.PadRight(column));
                Wrap(text, description, column, firstLineWritten: true);
            }
        }
        text.AppendLine();
    }

    /// <summary>Words of <paramref name="description"/> in lines of at most <see cref="Width"/> columns, indented by <paramref name="indent"/>.</summary>
    private static void Wrap(StringBuilder text, string description, int indent, bool firstLineWritten = false)
    {
        var line = new StringBuilder(firstLineWritten ? "" : new string(' ', indent));
        var start = firstLineWritten ? indent : 0;
        foreach (var word in description.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = line.ToString().TrimStart();
            if (trimmed.Length > 0 && start + line.Length + 1 + word.Length > Width)
            {
                text.AppendLine(line.ToString().TrimEnd());
                line.Clear().Append(' ', indent);
                start = 0;
            }
            else if (trimmed.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        text.AppendLine(line.ToString().TrimEnd());
    }

    private static (string Label, string Description) Row(Symbol symbol) => symbol switch
    {
        Option option => (Label(option), Describe(option)),
        Argument argument => (ArgumentLabel(argument), argument.Description ?? ""),
        _ => (symbol.Name, symbol.Description ?? ""),
    };

    private static string ArgumentLabel(Argument argument) =>
        (argument.HelpName ?? argument.Name.ToUpperInvariant()) + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : "");

    /// <summary>A switch takes no value, even though the parser would accept "true" after it.</summary>
    private static bool IsSwitch(Option option) => option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0;

    /// <summary><c>-o, --output FILE</c>: short names first, then the placeholder for the value, if it takes one.</summary>
    private static string Label(Option option)
    {
        // Windows spellings (/h, /?) are not for this Linux-only program.
        var names = new List<string>();
        foreach (var name in option.Aliases.Append(option.Name))
        {
            if (name[0] == '-' && !names.Contains(name))
            {
                names.Add(name);
            }
        }
        // Short names first, then long ones, shorter before longer, ties as declared (a loop's sort: see WriteRoot).
        var order = names.ToArray();
        names.Sort((a, b) => (a.StartsWith("--", StringComparison.Ordinal), a.Length, Array.IndexOf(order, a))
            .CompareTo((b.StartsWith("--", StringComparison.Ordinal), b.Length, Array.IndexOf(order, b))));
        var joined = string.Join(", ", names);
        return IsSwitch(option) ? joined : $"{joined} {Placeholder(option)}";
    }

    private static string Placeholder(Option option) => option.HelpName ?? option.ValueType switch
    {
        var t when t == typeof(TimeSpan) || t == typeof(TimeSpan?) => "TIME",
        var t when t == typeof(int[]) => "LIST",
        var t when t == typeof(int) || t == typeof(int?) || t == typeof(double?) || t == typeof(double) => "N",
        _ => "VALUE",
    };

    /// <summary>The description, and the default as it would be typed unless the description already says it.</summary>
    private static string Describe(Option option)
    {
        var description = option.Description ?? "";
        if (!option.HasDefaultValue || IsSwitch(option) || description.Contains("default", StringComparison.OrdinalIgnoreCase))
        {
            return description;
        }
        var value = option.GetDefaultValue() switch
        {
            TimeSpan span => Durations.Typed(span),
            int[] list => string.Join(',', list),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            var other => other?.ToString(),
        };
        return value is null ? description : $"{description} (default: {value})";
    }
}
