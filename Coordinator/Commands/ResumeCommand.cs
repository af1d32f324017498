using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// <c>portscan resume JOURNAL</c> (nmap's <c>--resume FILE</c>): goes on with a scan that was stopped or
/// killed. The journal's arguments are parsed again as <c>scan</c>'s, its results recorded first, and
/// only the rest is scanned; the reports are those the scan asked for, of every port.
/// </summary>
internal sealed class ResumeCommand : Command
{
    private readonly Argument<string> _journal = new("journal")
    {
        HelpName = "JOURNAL",
        Description = "The scan's journal (BASE.journal beside its first report, or its --journal FILE); a report file whose journal is beside it also does, as nmap's --resume takes its output",
    };

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Go on with a scan that was stopped or killed: scan only what its journal lacks, and write the reports it asked for";

    public ResumeCommand()
        : base("resume", Summary)
    {
        Add(_journal);
        SetAction((parse, cancellationToken) =>
        {
            var journal = JournalFile.Read(Find(parse.GetValue(_journal)!));
            if (Path.GetFullPath(journal.Directory) != Path.GetFullPath(Environment.CurrentDirectory))
            {
                throw new UsageException($"the scan was started in '{journal.Directory}', and its file names are relative to it: resume it from there");
            }
            var scan = PortScanCli.Root("scan").Parse(["scan", .. journal.Arguments]);
            if (scan.Errors.Count > 0)
            {
                throw new UsageException($"cannot resume from '{journal.Path}': its arguments do not parse ({scan.Errors[0].Message})");
            }
            var settings = ((ScanCommand)scan.CommandResult.Command).Settings(scan);
            return new ScanHandler(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, journal).RunAsync(cancellationToken);
        });
    }

    /// <summary>The command that resumes the scan of <paramref name="journal"/>, as this process was started.</summary>
    public static string Suggestion(string journal) => $"{SelfCommand.Prefix} resume {SelfCommand.Quote(journal)}";

    /// <summary>The journal itself, or the one beside a report, as nmap users give their -oN or -oG file to --resume.</summary>
    private static string Find(string given)
    {
        if (!File.Exists(given))
        {
            throw new UsageException($"cannot resume from '{given}': no such file");
        }
        var beside = Path.ChangeExtension(given, ".journal");
        return JournalFile.LooksLikeJournal(given) || !File.Exists(beside) ? given : beside;
    }
}
