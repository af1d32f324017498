using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan scan TARGET</c>: its options, and the settings they make.</summary>
internal sealed class ScanCommand : Command
{
    private readonly Argument<string?> _target = new("target")
    {
        Description = "Host name, IPv4 or IPv6 address to scan",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _hostname = new("--hostname") { Description = "Same as TARGET (the original article's spelling)" };
    private readonly PortOptions _ports = new();
    private readonly Option<TimeSpan> _timeout = OptionFactory.Duration("--timeout", ScanDefaults.Timeout,
        "Per-connect timeout: 250ms, 1s, 1.5s, or plain milliseconds");
    private readonly Option<int> _concurrency = OptionFactory.Count("--concurrency", "-c", 1, 65535, () => ScanDefaults.Concurrency,
        "Connects in flight per worker; 1 is the original one-connect-at-a-time scanner (default: from the open-file limit)");
    private readonly Option<int> _maxRetries = OptionFactory.Count("--max-retries", null, 0, 10, () => ScanDefaults.MaxRetries,
        "Replacement workers a slice may have when its worker dies, hangs or breaks the protocol; each scans only the ports still unscanned");
    private readonly Option<string?> _workerPath = new("--worker-path")
    {
        Description = "Run this executable instead of portscan-worker (for testing the coordinator with misbehaving workers)",
        Hidden = true,
    };
    private readonly Option<string> _format = new Option<string>("--format")
    {
        Description = "Report format",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong("text", "json");
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write the report to FILE (atomically) instead of stdout" };
    private readonly Option<bool> _showClosed = new("--show-closed") { Description = "List closed and filtered ports too" };
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Log each worker's launch, slice, pid, exit code and time to stderr" };

    public ScanCommand()
        : base("scan", "Scan the TCP ports of one target with one worker process per slice of the range")
    {
        Add(_target);
        Add(_hostname);
        _ports.AddTo(this);
        Add(_timeout);
        Add(_concurrency);
        Add(_maxRetries);
        Add(_workerPath);
        Add(_format);
        Add(_output);
        Add(_showClosed);
        Add(_verbose);
        Validators.Add(result =>
        {
            var target = result.GetValue(_target);
            var hostname = result.GetValue(_hostname);
            if (target is null && hostname is null)
            {
                result.AddError("missing target: give a host name or address, for example 'portscan scan localhost'");
            }
            else if (target is not null && hostname is not null && target != hostname)
            {
                result.AddError($"two targets given: '{target}' and --hostname '{hostname}'");
            }
        });
        SetAction((parse, cancellationToken) =>
            new ScanHandler(Settings(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error).RunAsync(cancellationToken));
    }

    private ScanSettings Settings(ParseResult parse) => new(
        parse.GetValue(_target) ?? parse.GetValue(_hostname)!,
        _ports.Ports(parse),
        parse.GetValue(_ports.Workers),
        parse.GetValue(_timeout),
        parse.GetValue(_concurrency),
        parse.GetValue(_maxRetries),
        parse.GetValue(_workerPath),
        parse.GetValue(_format) == "json" ? ReportFormat.Json : ReportFormat.Text,
        parse.GetValue(_output),
        parse.GetValue(_showClosed),
        parse.GetValue(_verbose));
}
