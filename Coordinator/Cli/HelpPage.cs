using System.CommandLine;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// What a command's <c>--help</c> shows besides its description and usage: its options in named
/// groups (the order a reader looks for them in, as nmap's and ripgrep's help do), examples that
/// run as written, and closing notes such as the exit codes.
/// </summary>
public sealed record HelpPage(string Usage, IReadOnlyList<HelpGroup> Groups, IReadOnlyList<HelpExample> Examples, IReadOnlyList<string> Notes);

/// <summary>A titled group of options; an argument (the targets) may lead it.</summary>
public sealed record HelpGroup(string Title, IReadOnlyList<Symbol> Symbols)
{
    public HelpGroup(string title, params Symbol[] symbols)
        : this(title, (IReadOnlyList<Symbol>)symbols)
    {
    }
}

/// <summary>A command line and what it does.</summary>
public sealed record HelpExample(string CommandLine, string What);

/// <summary>A command that has a help page of its own.</summary>
public interface IHasHelpPage
{
    HelpPage Help { get; }
}
