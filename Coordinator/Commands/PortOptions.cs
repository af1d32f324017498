using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Ports;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// Which transports and ports, and how many workers: shared by every command that plans slices.
/// As in nmap, TCP is scanned unless another scan type is asked for: <c>--udp</c> alone scans UDP
/// only, <c>--tcp --udp</c> both.
/// </summary>
internal sealed class PortOptions
{
    private readonly Option<string?> _ports = new("--ports", "-p")
    {
        HelpName = "PORTS",
        Description = "Ports in nmap's syntax: 22,80,443 or 1000-2000 or 1- or - (all); -p- works too; T:22,U:53 once both --tcp and --udp are on",
    };

    private readonly Option<bool> _tcp = new("--tcp", "-sT") { Description = "Scan TCP ports with connect() (the default unless --udp is given; give both for both)" };
    private readonly Option<bool> _udp = new("--udp", "-sU") { Description = "Scan UDP ports: a reply is open, an ICMP port-unreachable closed, silence open|filtered" };

    private readonly Option<int> _start = OptionFactory.Port("--start-port", PortRange.MinPort, "First port of a range (the original article's spelling)");
    private readonly Option<int> _end = OptionFactory.Port("--end-port", PortRange.MaxPort, "Last port of a range");
    private readonly Option<int?> _top = new("--top-ports")
    {
        Description = $"The N ports of each scanned transport most often open, ranked by nmap's services file when installed ({TopPorts.NmapServicesPath}), else a built-in top {TopPorts.BuiltInCount}",
        CustomParser = result => OptionFactory.ParseCount(result, "--top-ports", 1, PortRange.MaxPort),
    };

    private readonly Option<bool> _fast = new("--fast", "-F") { Description = "nmap's fast scan: the 100 ports of each scanned transport most often open (--top-ports 100)" };

    private readonly Option<string?> _exclude = new("--exclude-ports") { Description = "Ports to leave out, in the same syntax as -p", HelpName = "PORTS" };

    /// <summary>Null when not given: the default is the launcher's (<see cref="Launching.IWorkerLauncher.Cpus"/>).</summary>
    public Option<int?> Workers { get; } = new("--workers", "-w")
    {
        Description = "Worker processes, one per contiguous slice of the ports (default: one a core here; with --launch ssh one a host, with slurm one a CPU of the cluster)",
        CustomParser = result => OptionFactory.ParseCount(result, "--workers", 1, ScanDefaults.MaxWorkers),
    };

    public Option<Schedule> Schedule { get; } = ScheduleOption();

    /// <summary>--schedule, for every command that plans slices (scan, plan, bench, demo).</summary>
    public static Option<Schedule> ScheduleOption() => new("--schedule")
    {
        HelpName = "block|cyclic|dynamic[:N]",
        Description = "How ports are dealt to the workers: block, one contiguous slice each (the article's arithmetic, OpenMP's schedule(static)); "
            + "cyclic, every W-th port each, round-robin (schedule(static,1)), so a firewalled run of ports is shared by all; "
            + $"dynamic, chunks of N ports (default: about {Shared.Slicing.Schedule.DefaultChunksPerWorker} a worker) each worker asks for as it finishes one (schedule(dynamic,N))",
        DefaultValueFactory = _ => Shared.Slicing.Schedule.Block,
        CustomParser = ParseSchedule,
    };

    private static Schedule ParseSchedule(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var (name, chunk) = text.IndexOf(':') is var colon and >= 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
        switch (name.ToLowerInvariant())
        {
            case "block" when chunk is null:
                return Shared.Slicing.Schedule.Block;
            case "cyclic" when chunk is null:
                return Shared.Slicing.Schedule.Cyclic;
            case "dynamic" when chunk is null:
                return Shared.Slicing.Schedule.Dynamic();
            case "dynamic" when int.TryParse(chunk, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size >= 1:
                return Shared.Slicing.Schedule.Dynamic(size);
            case "dynamic":
                result.AddError($"--schedule dynamic:{chunk}: the chunk must be a whole number of ports, 1 or more");
                return Shared.Slicing.Schedule.Block;
            default:
                result.AddError($"--schedule '{text}' must be block, cyclic, dynamic or dynamic:N (a chunk of N ports)");
                return Shared.Slicing.Schedule.Block;
        }
    }

    /// <summary>The options that choose transports and ports, for help's "Ports" group.</summary>
    public IReadOnlyList<Option> Choice => [_tcp, _udp, _ports, _fast, _top, _exclude, _start, _end];

    public void AddTo(Command command)
    {
        foreach (var option in Choice)
        {
            command.Add(option);
        }
        command.Add(Workers);
        command.Add(Schedule);
    }

    /// <summary>How many ports nmap's -F scans.</summary>
    private const int FastScanPorts = 100;

    /// <summary>The ports asked for; contradictions and empty results are the user's mistake (exit code 2).</summary>
    public PortSelection Ports(ParseResult parse)
    {
        var udp = parse.GetValue(_udp);
        var tcp = parse.GetValue(_tcp) || !udp;
        var rangeGiven = parse.GetResult(_start) is { Implicit: false } || parse.GetResult(_end) is { Implicit: false };
        var list = parse.GetValue(_ports);
        var fast = parse.GetValue(_fast);
        var top = parse.GetValue(_top) ?? (fast ? FastScanPorts : null);
        if ((list is not null ? 1 : 0) + (rangeGiven ? 1 : 0) + (parse.GetValue(_top) is not null ? 1 : 0) + (fast ? 1 : 0) > 1)
        {
            throw new UsageException("give the ports one way: -p, --start-port/--end-port, --top-ports or -F");
        }

        PortSelection ports;
        if (list is not null)
        {
            ports = Read("-p", list, tcp, udp);
        }
        else if (top is { } count)
        {
            ports = new PortSelection(tcp ? TopPorts.Take(count, Transport.Tcp) : PortSet.Empty, udp ? TopPorts.Take(count, Transport.Udp) : PortSet.Empty);
        }
        else
        {
            var all = PortRange.TryCreate(parse.GetValue(_start), parse.GetValue(_end), out var range, out var error)
                ? PortSet.Of(range)
                : throw new UsageException(error);
            ports = new PortSelection(tcp ? all : PortSet.Empty, udp ? all : PortSet.Empty);
        }

        if (parse.GetValue(_exclude) is { } excluded)
        {
            ports = ports.Except(Read("--exclude-ports", excluded, tcp, udp));
            if (ports.IsEmpty)
            {
                throw new UsageException("--exclude-ports leaves no port to scan");
            }
        }
        return ports;
    }

    private static PortSelection Read(string option, string text, bool tcp, bool udp) =>
        NmapPortSyntax.TryParse(text, out var list, out var error) && list.TryFor(tcp, udp, out var ports, out error)
            ? ports
            : throw new UsageException($"{option}: {error}");
}
