using System.Globalization;
using System.Net;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;

namespace PortScan.Shared.Protocol;

/// <summary>
/// The command line a coordinator gives a worker. Built and parsed in one place so both sides
/// agree. The worker parses it by hand rather than with System.CommandLine: the worker is
/// started once a slice, and its start-up time is part of every scan's wall clock.
/// <para>
/// The work is one or more <c>--target HOSTS --ports SET</c> pairs, one a <see cref="WorkSegment"/>,
/// scanned in order. HOSTS is a <see cref="HostList"/>: IP literals only, the coordinator resolves names.
/// </para>
/// <para>
/// The probe settings (<see cref="ProbeSettings"/>): <c>--timeout-ms</c>, <c>--min-rtt-ms</c>,
/// <c>--initial-rtt-ms</c>, <c>--max-retries</c>, <c>--concurrency</c>; <c>--max-rate R</c> is this
/// worker's share of the scan's probes a second (a decimal, absent for no limit), <c>--min-rate R</c>
/// its share of the scan's least; <c>--banner-ms N</c> asks for banners, waiting up to N ms for each;
/// <c>--host-timeout-ms N</c> gives up a host N ms after the worker's first probe to it.
/// </para>
/// <para>
/// <c>--version-intensity N</c> turns on version detection (<see cref="VersionDetection"/>), with portscan's own database next to
/// the worker, or the one <c>--version-db FILE</c> names.
/// </para>
/// <para>
/// <c>--discover</c> makes it a host-discovery worker: its ports are the discovery probes' (<c>-PS</c>), it also
/// sends each host an ICMP echo request, and it ends with one <see cref="HostMessage"/> a host.
/// </para>
/// <para>
/// <c>--supervised</c> tells a worker it runs under a coordinator (see the worker's
/// <c>CoordinatorLifeline</c>): it exits when its stdin pipe closes, and leaves the terminal's
/// process group. Without it a worker run by hand behaves like any command-line tool.
/// </para>
/// <para>
/// <c>--dynamic</c> (supervised workers only) makes a worker of the dynamic schedule: after each
/// done it waits on stdin for the coordinator's next chunk (a <see cref="WorkMessage"/>), and exits
/// when it is given none.
/// </para>
/// </summary>
public sealed record WorkerArguments(WorkSet Work, ProbeSettings Probes, int WorkerId, bool Supervised, VersionDetection? Version = null, bool Dynamic = false, bool Discover = false)
{
    private const string SupervisedFlag = "--supervised";
    private const string DynamicFlag = "--dynamic";
    private const string DiscoverFlag = "--discover";

    public IEnumerable<string> ToArgumentList()
    {
        foreach (var segment in Work.Segments)
        {
            yield return "--target";
            yield return HostList.Format(segment.Hosts);
            yield return "--ports";
            yield return segment.Ports.ToString();
        }
        yield return "--timeout-ms";
        yield return Probes.TimeoutMs.ToString(CultureInfo.InvariantCulture);
        yield return "--min-rtt-ms";
        yield return Probes.MinRttTimeoutMs.ToString(CultureInfo.InvariantCulture);
        yield return "--initial-rtt-ms";
        yield return Probes.InitialRttTimeoutMs.ToString(CultureInfo.InvariantCulture);
        yield return "--max-retries";
        yield return Probes.MaxRetries.ToString(CultureInfo.InvariantCulture);
        yield return "--concurrency";
        yield return Probes.Concurrency.ToString(CultureInfo.InvariantCulture);
        yield return "--worker-id";
        yield return WorkerId.ToString(CultureInfo.InvariantCulture);
        if (Probes.MaxRate > 0)
        {
            yield return "--max-rate";
            yield return Probes.MaxRate.ToString("R", CultureInfo.InvariantCulture);
        }
        if (Probes.MinRate > 0)
        {
            yield return "--min-rate";
            yield return Probes.MinRate.ToString("R", CultureInfo.InvariantCulture);
        }
        if (Probes.BannerMs > 0)
        {
            yield return "--banner-ms";
            yield return Probes.BannerMs.ToString(CultureInfo.InvariantCulture);
        }
        if (Probes.HostTimeoutMs > 0)
        {
            yield return "--host-timeout-ms";
            yield return Probes.HostTimeoutMs.ToString(CultureInfo.InvariantCulture);
        }
        if (Version is { } version)
        {
            yield return "--version-intensity";
            yield return version.Intensity.ToString(CultureInfo.InvariantCulture);
            if (version.Database is { } database)
            {
                yield return "--version-db";
                yield return database;
            }
        }
        if (Discover)
        {
            yield return DiscoverFlag;
        }
        if (Supervised)
        {
            yield return SupervisedFlag;
        }
        if (Dynamic)
        {
            yield return DynamicFlag;
        }
    }

    /// <exception cref="FormatException">One line saying what is wrong.</exception>
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var segments = new List<WorkSegment>();
        IReadOnlyList<IPAddress>? hosts = null;
        var supervised = false;
        var dynamic = false;
        var discover = false;
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is SupervisedFlag or DynamicFlag)
            {
                supervised |= name == SupervisedFlag;
                dynamic |= name == DynamicFlag;
                i--;
                continue;
            }
            if (name == DiscoverFlag)
            {
                discover = true;
                i--;
                continue;
            }
            if (name is not ("--target" or "--ports" or "--timeout-ms" or "--min-rtt-ms" or "--initial-rtt-ms" or "--max-retries"
                or "--concurrency" or "--worker-id" or "--max-rate" or "--min-rate" or "--banner-ms" or "--host-timeout-ms"
                or "--version-intensity" or "--version-db"))
            {
                throw new FormatException($"unknown option '{name}'");
            }
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"option '{name}' needs a value");
            }
            var value = args[i + 1];
            switch (name)
            {
                case "--target" when hosts is not null:
                    throw new FormatException("every --target needs its --ports");
                case "--target":
                    hosts = HostList.TryParse(value, WorkList.MaxHosts, out var parsed, out var hostError)
                        ? parsed
                        : throw new FormatException($"--target: {hostError} (the coordinator resolves names)");
                    break;
                case "--ports" when hosts is null:
                    throw new FormatException("--ports must follow the --target it belongs to");
                case "--ports":
                    segments.Add(PortSelection.TryParse(value, out var ports, out var portError)
                        ? new WorkSegment(hosts, ports)
                        : throw new FormatException($"--ports: {portError}"));
                    hosts = null;
                    break;
                default:
                    values[name] = value;
                    break;
            }
        }
        if (hosts is not null)
        {
            throw new FormatException("every --target needs its --ports");
        }
        if (segments.Count == 0)
        {
            throw new FormatException("option '--target' is required");
        }

        var timeout = Number(values, "--timeout-ms");
        // A worker run by hand gets nmap's defaults, clamped to its timeout.
        var minRtt = values.ContainsKey("--min-rtt-ms") ? Number(values, "--min-rtt-ms") : Math.Min(ProbeSettings.DefaultMinRttTimeoutMs, timeout);
        var initialRtt = values.ContainsKey("--initial-rtt-ms") ? Number(values, "--initial-rtt-ms") : Math.Clamp(ProbeSettings.DefaultInitialRttTimeoutMs, minRtt, Math.Max(minRtt, timeout));
        var retries = values.ContainsKey("--max-retries") ? Number(values, "--max-retries") : ProbeSettings.DefaultMaxRetries;
        var concurrency = Number(values, "--concurrency");
        var worker = values.ContainsKey("--worker-id") ? Number(values, "--worker-id") : 0;
        var bannerMs = values.ContainsKey("--banner-ms") ? Number(values, "--banner-ms") : 0;
        var hostTimeoutMs = values.ContainsKey("--host-timeout-ms") ? Number(values, "--host-timeout-ms") : 0;
        var probes = new ProbeSettings(timeout, minRtt, initialRtt, retries, concurrency, Rate(values, "--max-rate"), bannerMs, Rate(values, "--min-rate"), hostTimeoutMs);
        if (probes.Problem() is { } problem)
        {
            throw new FormatException(problem);
        }
        VersionDetection? version = null;
        if (values.ContainsKey("--version-intensity") || values.ContainsKey("--version-db"))
        {
            version = new VersionDetection(Number(values, "--version-intensity"), values.GetValueOrDefault("--version-db"));
            if (version.Problem() is { } versionProblem)
            {
                throw new FormatException(versionProblem);
            }
        }
        if (dynamic && !supervised)
        {
            throw new FormatException("--dynamic needs --supervised: its next chunks come from the coordinator on stdin");
        }
        return new WorkerArguments(new WorkSet(segments), probes, worker, supervised, version, dynamic, discover);
    }

    /// <summary>A positive decimal; 0 when the option is absent (no limit).</summary>
    private static double Rate(Dictionary<string, string> values, string name)
    {
        var rate = 0.0;
        if (values.TryGetValue(name, out var text)
            && (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rate) || rate <= 0))
        {
            throw new FormatException($"{name} '{text}' is not a positive number");
        }
        return rate;
    }

    private static int Number(Dictionary<string, string> values, string name)
    {
        var text = values.TryGetValue(name, out var value) ? value : throw new FormatException($"option '{name}' is required");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"{name} '{text}' is not a whole number");
    }
}
