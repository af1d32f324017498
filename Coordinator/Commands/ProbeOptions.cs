using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// How <c>portscan scan</c> probes, as nmap's users spell it: the timeouts, retries, <c>-T</c>
/// templates, concurrency, rates, host timeout and banners, made into the one <see cref="ProbeSettings"/> of the scan.
/// A template sets the defaults; an option given explicitly wins, whatever its place on the line.
/// </summary>
internal sealed class ProbeOptions
{
    private readonly Option<TimeSpan?> _timeout = OptionFactory.Duration("--timeout", ["--max-rtt-timeout"],
        "The longest a probe waits for an answer (nmap's --max-rtt-timeout); below it the timeout follows the host's round-trip time. "
        + "250ms, 1s, 1.5s, or plain milliseconds. Default 10s, as nmap's (-T0: 5m, -T1: 15s, -T4: 1250ms, -T5: 300ms)");
    private readonly Option<TimeSpan?> _minRtt = OptionFactory.Duration("--min-rtt-timeout", [],
        "The least a probe waits, however fast the host answers. Default 100ms (-T5: 50ms)");
    private readonly Option<TimeSpan?> _initialRtt = OptionFactory.Duration("--initial-rtt-timeout", [],
        "What a probe waits before the host has answered anything. Default 1s (-T0: 5m, -T1: 15s, -T4: 500ms, -T5: 250ms)");
    private readonly Option<int?> _maxRetries = new("--max-retries")
    {
        Description = $"Retransmissions a silent port may get, 0-{ProbeSettings.MaxMaxRetries}, as nmap's; drops seen on the host decide how many it does get. "
            + "Default 10 (-T4: 6, -T5: 2; 0 with --fixed-timeout)",
        CustomParser = result => OptionFactory.ParseCount(result, "--max-retries", 0, ProbeSettings.MaxMaxRetries),
    };
    private readonly Option<TimingTemplate?> _template = new("--timing-template", "-T")
    {
        HelpName = "LEVEL",
        Description = $"nmap's timing templates, -T0 to -T5 or by name ({string.Join(", ", TimingTemplate.All.Select(t => t.Name))}); "
            + "they set the defaults of the other timing options, which still override them. Default: normal (-T3). "
            + "portscan has no --scan-delay: -T0, -T1 and -T2 keep one probe in flight a worker (-c 1) and make nmap's delay between probes "
            + "(5 min, 15 s, 400 ms) a scan-wide --max-rate (1/300, 1/15, 2.5 a second)",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (TimingTemplate.TryParse(text, out var template))
            {
                return template;
            }
            result.AddError($"-T '{text}' is not a timing template: give {TimingTemplate.Accepted}");
            return null;
        },
    };
    private readonly Option<bool> _fixed = new("--fixed-timeout")
    {
        Description = "The original article's timing: every probe waits exactly --timeout, once (no adaptation, no retries unless --max-retries is given)",
    };
    private readonly Option<int?> _concurrency = new("--concurrency", "-c")
    {
        Description = "Probes in flight per worker; 1 is the original one-connect-at-a-time scanner (default: from the open-file limit; 1 with -T0, -T1, -T2)",
        CustomParser = result => OptionFactory.ParseCount(result, "--concurrency", 1, 65535),
    };
    private readonly Option<double?> _maxRate = OptionFactory.Rate("--max-rate", 10_000_000,
        "At most N connects and UDP probes a second across all workers, each worker taking an equal share (as nmap's --max-rate). Default: no limit (-T0: 1/300, -T1: 1/15, -T2: 2.5)");
    private readonly Option<double?> _minRate = OptionFactory.Rate("--min-rate", 10_000_000,
        "At least N connects and UDP probes a second across all workers, each worker taking an equal share (as nmap's --min-rate): "
        + "no host's pace is cut below it, whatever loss it shows. Above what a host accepts it can cost exactness (README, \"Not yet there\"). At most --max-rate. Default: none");
    private readonly Option<TimeSpan?> _hostTimeout = new("--host-timeout")
    {
        Description = "Give up a host this long after its first probe (as nmap's --host-timeout): ports decided by then keep their state, "
            + "the rest are reported unscanned (host timeout), and the scan still exits 0. 30s, 15m, plain milliseconds; 0 for none. Default: none (-T5: 15m)",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (text.Trim() == "0")
            {
                return TimeSpan.Zero;
            }
            if (Durations.TryParse(text, out var value, out var error))
            {
                return value;
            }
            result.AddError($"--host-timeout: {error}");
            return null;
        },
    };
    private readonly Option<bool> _banners = new("--banners") { Description = "After each TCP connect, read what the service says first (sending nothing) and show it" };
    private readonly Option<TimeSpan> _bannerTimeout = OptionFactory.Duration("--banner-timeout", ScanDefaults.BannerWait,
        "With --banners: how long to wait for a service to speak first");

    /// <summary>The timing options, for help's "Timing" group.</summary>
    public IReadOnlyList<Option> Timing => [_template, _timeout, _minRtt, _initialRtt, _maxRetries, _fixed, _concurrency, _maxRate, _minRate, _hostTimeout];

    /// <summary>The banner options, for help's "Services" group.</summary>
    public IReadOnlyList<Option> Banners => [_banners, _bannerTimeout];

    public void AddTo(Command command)
    {
        foreach (var option in Timing.Concat(Banners))
        {
            command.Add(option);
        }
    }

    /// <summary>The scan's probe settings (its whole --max-rate); contradictions are the user's mistake (exit code 2).</summary>
    public ProbeSettings Probes(ParseResult parse)
    {
        var template = parse.GetValue(_template) ?? TimingTemplate.Normal;
        var max = Milliseconds(parse.GetValue(_timeout));
        var min = Milliseconds(parse.GetValue(_minRtt));
        var initial = Milliseconds(parse.GetValue(_initialRtt));
        var retries = parse.GetValue(_maxRetries);
        int minMs, initialMs, maxMs;
        if (parse.GetValue(_fixed))
        {
            if (min is not null || initial is not null)
            {
                throw new UsageException("--fixed-timeout waits exactly --timeout: leave out --min-rtt-timeout and --initial-rtt-timeout");
            }
            minMs = initialMs = maxMs = max ?? template.MaxRttTimeoutMs;
            retries ??= 0;
        }
        else
        {
            // A template's value gives way to an explicit one it would contradict, as nmap's setters
            // move the others (NmapOps::setMaxRttTimeout and friends): --timeout 250ms lowers the
            // initial 1 s to 250 ms. Two explicit values that contradict each other are refused below.
            maxMs = max ?? Math.Max(template.MaxRttTimeoutMs, Math.Max(min ?? 0, initial ?? 0));
            minMs = min ?? Math.Min(template.MinRttTimeoutMs, Math.Min(max ?? int.MaxValue, initial ?? int.MaxValue));
            initialMs = initial ?? Math.Clamp(template.InitialRttTimeoutMs, minMs, Math.Max(minMs, maxMs));
        }
        var minRate = parse.GetValue(_minRate);
        var probes = new ProbeSettings(
            maxMs,
            minMs,
            initialMs,
            retries ?? template.MaxRetries,
            parse.GetValue(_concurrency) ?? template.Concurrency ?? ScanDefaults.Concurrency,
            // A template's rate (nmap's scan delay in -T0 to -T2) gives way to an explicit --min-rate,
            // as nmap's minimum rate overrides its scan delay; an explicit --max-rate below it is refused.
            parse.GetValue(_maxRate) ?? (template.MaxRate is { } templateRate ? Math.Max(templateRate, minRate ?? 0) : 0),
            parse.GetValue(_banners) ? (int)parse.GetValue(_bannerTimeout).TotalMilliseconds : 0,
            minRate ?? 0,
            Milliseconds(parse.GetValue(_hostTimeout)) ?? template.HostTimeoutMs);
        return probes.Problem() is { } problem ? throw new UsageException(problem) : probes;
    }

    private static int? Milliseconds(TimeSpan? duration) => duration is { } value ? (int)value.TotalMilliseconds : null;
}
