using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan scan TARGET...</c>: its options, and the settings they make.</summary>
internal sealed class ScanCommand : Command, IHasHelpPage
{
    private readonly Argument<string[]> _targets = new("targets")
    {
        HelpName = "TARGET",
        Description = "Host names, IPv4 or IPv6 addresses, CIDR blocks (127.0.0.0/29) or octet ranges (127.0.0.1-8)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _hostname = new("--hostname") { Description = "One more target (the original article's spelling)", HelpName = "HOST" };
    private readonly Option<string?> _inputList = new("--input-list", "-iL") { Description = "Read targets from FILE: whitespace-separated, # starts a comment; - reads stdin", HelpName = "FILE" };
    private readonly Option<string?> _exclude = new("--exclude") { Description = "Comma-separated targets to leave out, in the same syntax", HelpName = "LIST" };
    private readonly Option<string?> _excludeFile = new("--excludefile") { Description = "Leave out the targets listed in FILE (same layout as -iL)", HelpName = "FILE" };
    private readonly Option<bool> _ipv6 = new("-6") { Description = "Scan IPv6: names resolve to their IPv6 address, and an IPv4 target is a mistake (nmap's -6)" };
    private readonly Option<bool> _ipv4 = new("-4") { Description = "Scan IPv4 only: names resolve to their IPv4 address, and an IPv6 target is a mistake (nmap's -4)" };
    private readonly Option<bool> _noPing = new("-Pn") { Description = "Scan every target without host discovery (the default for a single target); with several, only the hosts found up are scanned" };
    private readonly Option<bool> _pingSweep = new("-sn") { Description = "Host discovery only (a ping sweep): list the hosts that are up, scan no port" };
    private readonly Option<string?> _pingPorts = new("-PS") { Description = "Host discovery's TCP ports (default 80,443): a connect answered or refused means up, as does an ICMP echo reply", HelpName = "PORTS" };
    private readonly Option<bool> _noDns = new("-n") { Description = "Never resolve addresses to names: what portscan always does, accepted for nmap's users" };
    private readonly PortOptions _ports = new();
    private readonly ProbeOptions _probes = new();
    private readonly VersionOptions _versions = new();
    private readonly LaunchOptions _launch = new();
    private readonly Option<int> _maxWorkerRestarts = OptionFactory.Count("--max-worker-restarts", null, 0, 10, () => ScanDefaults.MaxWorkerRestarts,
        "Replacement workers a slice may have when its worker dies, hangs or breaks the protocol; each scans only the ports still unscanned");
    private readonly Option<string?> _workerPath = new("--worker-path")
    {
        Description = "Run this executable instead of portscan-worker (for testing the coordinator with misbehaving workers)",
        Hidden = true,
    };
    private readonly Option<string> _format = new Option<string>("--format")
    {
        Description = "Report format: text, json, jsonl (streamed while scanning), csv, xml (nmap's) or grepable (nmap's -oG)",
        HelpName = "FORMAT",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong([.. ReportFormats.Names]);
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write the --format report to FILE (atomically); stdout shows the scan as text; - is stdout", HelpName = "FILE" };
    private readonly Option<string?> _normal = new("-oN") { Description = "Write the text report to FILE, as nmap's -oN; - is stdout", HelpName = "FILE" };
    private readonly Option<string?> _xml = new("-oX") { Description = "Write the XML report to FILE, as nmap's -oX; - is stdout", HelpName = "FILE" };
    private readonly Option<string?> _grepable = new("-oG") { Description = "Write the grepable report to FILE, as nmap's -oG; - is stdout", HelpName = "FILE" };
    private readonly Option<string?> _all = new("-oA") { Description = "Write BASE.nmap, BASE.xml and BASE.gnmap at once, as nmap's -oA", HelpName = "BASE" };
    private readonly Option<string?> _journal = new("--journal")
    {
        Description = "Keep the scan's journal in FILE (default: beside the first report file, as BASE.journal; none without one), for 'portscan resume FILE'",
        HelpName = "FILE",
    };
    private readonly Option<bool> _showClosed = new("--show-closed") { Description = "List closed and filtered ports too" };
    private readonly Option<bool> _open = new("--open") { Description = "List only ports that are or may be open (open, open|filtered), as nmap's --open; counts stay complete" };
    private readonly Option<bool> _reason = new("--reason") { Description = "Show why each port is in its state (nmap's reason words: syn-ack, conn-refused, no-response…)" };
    private readonly Option<bool> _noProgress = new("--no-progress") { Description = "No progress bar on stderr (it is shown only on a terminal, for scans over 2 s)" };
    private readonly Option<TimeSpan?> _statsEvery = OptionFactory.Duration("--stats-every", [],
        "Print nmap's status lines (elapsed, hosts done, % done, ETA) on stderr every TIME, terminal or not");
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Log each worker's launch, slice, pid, exit code and time, and every change of pace, to stderr" };
    private readonly Option<bool> _veryVerbose = new("-vv", "-vvv") { Description = "As -v, and every worker heartbeat and timing hint passed between workers" };
    private readonly Option<bool> _debug = new("--debug", "-d") { Description = "As -vv, and every protocol line between the coordinator and its workers" };

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Scan the TCP and/or UDP ports of one or more targets, one worker process per slice of the hosts × ports";

    /// <param name="spare">A worker started as the coordinator started (<see cref="SpareWorker"/>), for the scan's first.</param>
    public ScanCommand(SpareWorker? spare = null)
        : base("scan", Summary)
    {
        Add(_targets);
        Add(_hostname);
        Add(_inputList);
        Add(_exclude);
        Add(_excludeFile);
        Add(_ipv4);
        Add(_ipv6);
        Add(_noPing);
        Add(_pingPorts);
        Add(_pingSweep);
        Add(_noDns);
        _ports.AddTo(this);
        _probes.AddTo(this);
        _versions.AddTo(this);
        Add(_maxWorkerRestarts);
        _launch.AddTo(this);
        Add(_workerPath);
        Add(_format);
        Add(_output);
        Add(_normal);
        Add(_xml);
        Add(_grepable);
        Add(_all);
        Add(_journal);
        Add(_showClosed);
        Add(_open);
        Add(_reason);
        Add(_noProgress);
        Add(_statsEvery);
        Add(_verbose);
        Add(_veryVerbose);
        Add(_debug);
        UnknownOptions.RejectIn(_targets);
        Validators.Add(result =>
        {
            if (result.GetValue(_ipv4) && result.GetValue(_ipv6))
            {
                result.AddError("-4 and -6 contradict each other: give one");
            }
            if ((result.GetValue(_targets) ?? []).Length == 0 && result.GetValue(_hostname) is null && result.GetValue(_inputList) is null)
            {
                result.AddError("missing target: give a host name, address or block, for example 'portscan scan localhost'");
            }
        });
        SetAction((parse, cancellationToken) =>
            new ScanHandler(Settings(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, spare: spare).RunAsync(cancellationToken));
    }

    public HelpPage Help => new(
        "portscan [scan] TARGET... [options]",
        [
            new HelpGroup("Targets", [_targets, _hostname, _inputList, _exclude, _excludeFile, _ipv4, _ipv6, _noPing, _pingPorts, _pingSweep, _noDns]),
            new HelpGroup("Ports", _ports.Choice),
            new HelpGroup("Workers", _ports.Workers, _ports.Schedule, _maxWorkerRestarts),
            new HelpGroup("Other machines (docs/scale-out.md)", _launch.All),
            new HelpGroup("Timing (nmap's options and -T templates; README has the table)", _probes.Timing),
            new HelpGroup("Services and versions", [.. _versions.All, .. _probes.Banners]),
            new HelpGroup("Output", [_format, _output, _normal, _xml, _grepable, _all, _journal, _open, _showClosed, _reason, _noProgress, _statsEvery, _verbose, _veryVerbose, _debug]),
        ],
        [
            new("portscan 127.0.0.1 -p 22,80,443", "three ports of this machine, one worker a core"),
            new("portscan localhost -F -w 4 -oX scan.xml", "nmap's top 100 ports with four workers, and nmap's XML report"),
            new("portscan ::1 -sT -sU -p T:20000-20017,U:20000", "TCP and UDP in one scan"),
            new("portscan 127.0.0.1 -p 22,80 -sV", "each open port's service and version, as nmap's -sV"),
            new("portscan 127.0.0.1 -p- --format json -o - | jq .hosts[0].counts", "every port, the JSON report on stdout"),
            new("portscan 127.0.0.1 -p- --launch ssh --hosts localhost", "the worker started through ssh (docs/scale-out.md)"),
            new("portscan 127.0.0.1 -p- -oA lab; portscan resume lab.journal", "a scan stopped or killed goes on from its journal"),
        ],
        [ExitCodes.Help]);

    /// <summary>The settings of a parse of this command: a scan's own, or one a journal's arguments were parsed again for (<see cref="ResumeCommand"/>).</summary>
    internal ScanSettings Settings(ParseResult parse)
    {
        var format = ReportFormats.Parse(parse.GetValue(_format)!);
        var files = new List<(ReportFormat, string)>();
        if (parse.GetValue(_output) is { } output)
        {
            files.Add((format, output));
        }
        if (parse.GetValue(_normal) is { } normal)
        {
            files.Add((ReportFormat.Text, normal));
        }
        if (parse.GetValue(_xml) is { } xml)
        {
            files.Add((ReportFormat.Xml, xml));
        }
        if (parse.GetValue(_grepable) is { } grepable)
        {
            files.Add((ReportFormat.Grepable, grepable));
        }
        if (parse.GetValue(_all) is { } all)
        {
            files.Add((ReportFormat.Text, all + ".nmap"));
            files.Add((ReportFormat.Xml, all + ".xml"));
            files.Add((ReportFormat.Grepable, all + ".gnmap"));
        }
        if (parse.GetValue(_open) && parse.GetValue(_showClosed))
        {
            throw new UsageException("--open and --show-closed contradict each other: give one");
        }
        var duplicate = files.GroupBy(f => Path.GetFullPath(f.Item2)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"two reports would be written to '{duplicate.First().Item2}'");
        }

        List<string> targets = [.. parse.GetValue(_targets) ?? []];
        if (parse.GetValue(_hostname) is { } hostname)
        {
            targets.Add(hostname);
        }
        var excludes = parse.GetValue(_exclude) is { } exclude
            ? exclude.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new ScanSettings(
            targets,
            parse.GetValue(_ipv6) ? AddressFamily.InterNetworkV6 : parse.GetValue(_ipv4) ? AddressFamily.InterNetwork : null,
            parse.GetValue(_inputList),
            excludes,
            parse.GetValue(_excludeFile),
            _ports.Ports(parse),
            parse.GetValue(_ports.Workers),
            parse.GetValue(_ports.Schedule) ?? Shared.Slicing.Schedule.Block,
            _probes.Probes(parse),
            _versions.Version(parse),
            parse.GetValue(_maxWorkerRestarts),
            _launch.Settings(parse),
            parse.GetValue(_workerPath),
            format,
            files,
            parse.GetValue(_showClosed) ? ShownPorts.All : parse.GetValue(_open) ? ShownPorts.Open : ShownPorts.Usual,
            parse.GetValue(_reason),
            Verbosity(parse),
            parse.GetValue(_noProgress),
            parse.GetValue(_statsEvery),
            CommandLine(parse),
            parse.GetValue(_journal),
            [.. parse.Tokens.Skip(1).Select(t => t.Value)],

            Discovery(parse),
            parse.GetValue(_pingSweep));
    }

    /// <summary>Host discovery's TCP ports; null with -Pn.</summary>
    private PortSet? Discovery(ParseResult parse)
    {
        var text = parse.GetValue(_pingPorts);
        if (parse.GetValue(_pingSweep) && (parse.GetValue(_noPing) || _versions.Version(parse) is not null))
        {
            throw new UsageException($"-sn and {(parse.GetValue(_noPing) ? "-Pn" : "-sV")} contradict each other: -sn is host discovery alone, without a port scan");
        }
        if (parse.GetValue(_noPing))
        {
            return text is null ? null : throw new UsageException("-Pn and -PS contradict each other: -Pn skips host discovery, -PS chooses its ports");
        }
        return text is null ? HostDiscovery.DefaultPorts
            : PortSet.TryParse(text, out var ports, out var error) ? ports
            : throw new UsageException($"-PS '{text}': {error}");
    }

    private LogLevel Verbosity(ParseResult parse) =>
        parse.GetValue(_debug) ? LogLevel.Trace
        : parse.GetValue(_veryVerbose) ? LogLevel.Debug
        : parse.GetValue(_verbose) ? LogLevel.Information
        : LogLevel.Warning;

    /// <summary>"portscan scan -p 22 127.0.0.1", from the tokens as typed; arguments with spaces are quoted.</summary>
    private static string CommandLine(ParseResult parse) =>
        string.Join(' ', ["portscan", .. parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"'{t.Value}'" : t.Value)]);
}
