using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Targets;

namespace PortScan.Coordinator.Commands;

/// <summary>Where workers run (--launch and its options): shared by <c>scan</c> and <c>plan</c>, which shows the placement.</summary>
internal sealed class LaunchOptions
{
    private readonly Option<string> _launch = new Option<string>("--launch")
    {
        Description = "Where workers run: local (child processes), ssh (one connection a slice, to --hosts) or slurm (one srun job step a slice)",
        HelpName = "HOW",
        DefaultValueFactory = _ => "local",
    }.AcceptOnlyFromAmong("local", "ssh", "slurm");

    private readonly Option<string?> _hosts = new("--hosts")
    {
        Description = "With --launch ssh: destinations as ssh takes them (node1,user@host), or @FILE with one a line and # comments; slice i runs on host i mod H, a replacement on the next",
        HelpName = "LIST",
    };

    private readonly Option<string?> _sshArgs = new("--ssh-args") { Description = "With --launch ssh: more ssh options, split as a shell would (\"-F CONFIG -i KEY\")", HelpName = "ARGS" };
    private readonly Option<string?> _slurmArgs = new("--slurm-args") { Description = "With --launch slurm: more srun options, split as a shell would (\"-p PARTITION --overcommit\")", HelpName = "ARGS" };
    private readonly Option<string?> _remoteWorker = new("--remote-worker") { Description = "With ssh or slurm: portscan-worker's path on the other machines (default: its path here)", HelpName = "PATH" };

    public IReadOnlyList<Option> All => [_launch, _hosts, _sshArgs, _slurmArgs, _remoteWorker];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    /// <summary>The options, checked: each goes with its launcher, and ssh needs hosts (exit code 2 otherwise).</summary>
    public LaunchSettings Settings(ParseResult parse)
    {
        var kind = Enum.Parse<LaunchKind>(parse.GetValue(_launch)!, ignoreCase: true);
        var hosts = parse.GetValue(_hosts);
        var sshArgs = parse.GetValue(_sshArgs);
        var slurmArgs = parse.GetValue(_slurmArgs);
        var remoteWorker = parse.GetValue(_remoteWorker);
        if (kind == LaunchKind.Ssh && hosts is null)
        {
            throw new UsageException("--launch ssh needs --hosts: the machines to run workers on");
        }
        if (kind != LaunchKind.Ssh && (hosts ?? sshArgs) is not null)
        {
            throw new UsageException($"{(hosts is null ? "--ssh-args" : "--hosts")} is for --launch ssh");
        }
        if (kind != LaunchKind.Slurm && slurmArgs is not null)
        {
            throw new UsageException("--slurm-args is for --launch slurm");
        }
        if (kind == LaunchKind.Local && remoteWorker is not null)
        {
            throw new UsageException("--remote-worker is for --launch ssh or slurm");
        }
        if (remoteWorker is "")
        {
            throw new UsageException("--remote-worker needs a path");
        }
        return new LaunchSettings(kind, hosts is null ? [] : Hosts(hosts), Words("--ssh-args", sshArgs), Words("--slurm-args", slurmArgs), remoteWorker);
    }

    /// <summary>
    /// A comma list, or @FILE. A destination is one word that does not start with '-': ssh would
    /// take "-oProxyCommand=…" for an option, not a host.
    /// </summary>
    private static IReadOnlyList<string> Hosts(string text)
    {
        IReadOnlyList<string> hosts;
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            try
            {
                hosts = TargetFile.Parse(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--hosts: cannot read '{path}': {e.Message}");
            }
        }
        else
        {
            hosts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        if (hosts.Count == 0)
        {
            throw new UsageException($"--hosts '{text}' names no host");
        }
        if (hosts.FirstOrDefault(h => h.StartsWith('-') || h.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) is { } bad)
        {
            throw new UsageException($"--hosts: '{bad}' is not an ssh destination (one word, not starting with '-')");
        }
        return hosts;
    }

    private static IReadOnlyList<string> Words(string option, string? text) =>
        text is null ? []
        : ShellWords.TrySplit(text, out var words, out var error) ? words
        : throw new UsageException($"{option} '{text}': {error}");
}
