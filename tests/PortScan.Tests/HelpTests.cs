using System.Text.RegularExpressions;
using PortScan.Coordinator.Cli;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--help reads like nmap's: groups, placeholders that say what a value is, defaults as typed and said once, examples, exit codes.</summary>
public class HelpTests
{
    private static readonly string[] Commands = ["scan", "plan", "lab", "demo", "bench"];

    [TestCaseSource(nameof(Commands))]
    public async Task Help_shows_durations_as_typed_and_each_default_once(string command)
    {
        var (exit, help, _) = await InProcessCli.RunAsync(command, "--help");

        exit.ShouldBe(0);
        help.ShouldNotContain("00:00", customMessage: "durations are written as typed (1s, 200ms), not as .NET TimeSpans");
        help.ShouldNotContain("[default:");
        help.ShouldNotContain("|2|4", customMessage: "a list default is written as typed: 1,2,4,8,16");
        foreach (var option in help.Split("\n  -").Skip(1))
        {
            Regex.Count(option, @"\bdefault\b", RegexOptions.IgnoreCase).ShouldBeLessThanOrEqualTo(1, $"one default an option: {option}");
        }
    }

    [Test]
    public async Task Scan_help_groups_its_options_names_their_values_and_ends_with_examples_and_exit_codes()
    {
        var (_, help, _) = await InProcessCli.RunAsync("scan", "--help");

        foreach (var group in new[] { "Targets:", "Ports:", "Workers:", "Timing", "Output:", "Examples:", "Exit codes:" })
        {
            help.ShouldContain(group);
        }
        help.ShouldContain("-oN FILE");
        help.ShouldContain("-iL, --input-list FILE");
        help.ShouldContain("-p, --ports PORTS");
        help.ShouldContain("--banner-timeout TIME");
        help.ShouldContain("-oA BASE");
        help.ShouldNotContain("<", customMessage: "placeholders are words (FILE, N), not option names in brackets");
        help.ShouldContain("130  stopped by Ctrl-C");
        help.IndexOf("Targets:", StringComparison.Ordinal).ShouldBeLessThan(help.IndexOf("Output:", StringComparison.Ordinal));
    }

    [TestCaseSource(nameof(Commands))]
    public async Task Every_option_a_command_takes_appears_in_its_help(string command)
    {
        var (_, help, _) = await InProcessCli.RunAsync(command, "--help");
        var (_, root, _) = await InProcessCli.RunAsync("--help");
        var names = PortScanCli.Root(command).Subcommands.Single().Options
            .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name)).ToList();

        names.ShouldNotBeEmpty();
        foreach (var name in names)
        {
            help.ShouldContain(name, customMessage: $"'{command} --help' lists {name}");
        }
        root.ShouldContain("TCP and UDP port scanner");
    }
}
