using Spectre.Console;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A Spectre.Console console over the command's stdout. Live displays and colour only when that
/// stdout is a real terminal; otherwise plain text that reads well in a file, a pipe or a test.
/// </summary>
public static class TerminalConsole
{
    // Wide enough that tables do not wrap in a log or a CI transcript.
    private const int PlainWidth = 120;

    public static IAnsiConsole Create(TextWriter output, out bool interactive)
    {
        interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = PlainWidth;
        }
        return console;
    }
}
