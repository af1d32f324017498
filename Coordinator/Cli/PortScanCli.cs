using System.CommandLine;
using PortScan.Coordinator.Commands;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// The entry point, with stdout and stderr injected so tests run exactly what users run. Parse
/// errors and user mistakes become one line on stderr and exit code 2; only bugs throw.
/// </summary>
public static class PortScanCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("portscan: a TCP port scanner that splits the port range into slices and scans each slice in its own worker process.")
        {
            new ScanCommand(),
            new PlanCommand(),
            new LabCommand(),
            new DemoCommand(),
            new BenchCommand(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Some parser messages span lines (a list of allowed values): keep the promise of one line.
            var message = string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await stderr.WriteLineAsync($"portscan: {message} (see 'portscan --help')").ConfigureAwait(false);
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
}
