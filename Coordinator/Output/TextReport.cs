using System.Globalization;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Output;

/// <summary>
/// The human-readable report, in nmap's normal-output layout: a block a host ("Not shown: N
/// closed ports", then <c>22/tcp  open  ssh</c>, and a banner under its port as nmap's banner
/// script shows it), then the totals. Also written by <c>-oN</c> and <c>-oA</c> (the .nmap file).
/// </summary>
public static class TextReport
{
    public static string Header(ScanRequest request)
    {
        var hosts = request.Targets.Count == 1 ? request.Targets[0].ToString() : $"{request.Targets.Count} hosts";
        var ports = Counted.Of(request.Ports.Count, "port");
        return string.Create(CultureInfo.InvariantCulture,
            $"Scanning {hosts}, ports {request.Ports} ({ports}{(request.Targets.Count > 1 ? " each" : "")}), {Counted.Of(request.Workers, "worker")}, {TimingDescription.Of(request.Probes)}");
    }

    /// <summary>-sn's first line: what host discovery probes, and with how many workers.</summary>
    public static string SweepHeader(ScanRequest request, PortSet pingPorts)
    {
        var hosts = request.Targets.Count == 1 ? request.Targets[0].ToString() : $"{request.Targets.Count} hosts";
        return string.Create(CultureInfo.InvariantCulture,
            $"Host discovery of {hosts} (ICMP echo, TCP connects to {pingPorts}), {TimingDescription.Of(request.Probes)}");
    }

    /// <summary>nmap's verbose-mode line for a port found while the scan runs.</summary>
    public static string Discovered(ResolvedTarget host, PortResult port) =>
        $"Discovered {port.State.ToWireName()} port {port.Name} on {host.Address}";

    /// <summary>
    /// A host's block; <paramref name="reasons"/> (<c>--reason</c>) adds nmap's REASON column and says
    /// what made the host count as up.
    /// </summary>
    public static IEnumerable<string> HostBlock(HostResult host, ServiceNames services, ShownPorts shown, bool reasons)
    {
        var s = host.Summary;
        yield return $"portscan scan report for {host.Target}";
        if (host.Up)
        {
            var received = reasons ? $", received {host.Reason.ToWireName()}" : "";
            yield return host.LatencyMs is { } latency
                ? string.Create(CultureInfo.InvariantCulture, $"Host is up{received} ({latency / 1000:0.00000}s latency).")
                : $"Host is up{received}.";
        }
        else if (s.Filtered + s.OpenFiltered > 0)
        {
            yield return $"No port answered: every scanned port is {(s.OpenFiltered == 0 ? "filtered" : s.Filtered == 0 ? "open|filtered" : "filtered or open|filtered")}.";
        }
        if (!host.PortsScanned)
        {
            yield break;
        }
        if (host.TimedOut)
        {
            // nmap's words; its decided ports are still listed below.
            yield return $"Skipping host {host.Target} due to host timeout: {s.Unscanned} of {s.Total} ports left unscanned";
        }
        var listing = PortListing.Of(host, shown);
        if (listing.Listed.Count == 0)
        {
            yield return $"All {s.Total} scanned ports on {host.Target} are in ignored states.";
        }
        if (listing.Folded.Count > 0)
        {
            yield return $"Not shown: {listing.DescribeFolded()}";
        }
        if (listing.Listed.Count > 0)
        {
            var versions = host.VersionScanned;
            var stateWidth = listing.Listed.Any(p => p.State == PortState.OpenFiltered) ? 13 : 9;
            // nmap's table pads a column to its widest cell; SERVICE needs it only when a column follows.
            var serviceWidth = reasons || versions ? Math.Max("SERVICE".Length, listing.Listed.Max(p => ServiceLabel.Of(p, services, versions)?.Length ?? 0)) : 0;
            var reasonWidth = reasons && versions ? Math.Max("REASON".Length, listing.Listed.Max(p => p.Reason.ToWireName().Length)) : 0;
            yield return Row("PORT", "STATE", "SERVICE", reasons ? "REASON" : null, versions ? "VERSION" : null, stateWidth, serviceWidth, reasonWidth);
            foreach (var port in listing.Listed)
            {
                yield return Row(port.Name, port.State.ToWireName(), ServiceLabel.Of(port, services, versions) ?? "",
                    reasons ? port.Reason.ToWireName() : null, versions ? ServiceLabel.Version(port) : null, stateWidth, serviceWidth, reasonWidth);
                if (port.Banner is { } banner)
                {
                    yield return $"|_banner: {banner}";
                }
            }
            if (versions && ServiceInfo(listing.Listed, host.Target.HostName) is { } info)
            {
                yield return info;
            }
        }
        if (host.Network is { } network)
        {
            yield return NetworkLine(network);
        }
    }

    private static string Row(string port, string state, string service, string? reason, string? version, int stateWidth, int serviceWidth, int reasonWidth)
    {
        var row = $"{port,-11} {state.PadRight(stateWidth)} {service.PadRight(serviceWidth)}";
        if (reason is not null)
        {
            row += " " + reason.PadRight(reasonWidth);
        }
        if (version is not null)
        {
            row += " " + version;
        }
        return row.TrimEnd();
    }

    /// <summary>
    /// nmap's "Service Info:" line under the ports: the host names (other than the host's own), OS types,
    /// device types and OS and hardware CPEs the services named, each once, five of each at most; null when none.
    /// </summary>
    public static string? ServiceInfo(IEnumerable<PortResult> ports, string? hostName)
    {
        const int most = 5;
        List<string> hosts = [], oses = [], devices = [], cpes = [];
        static void Add(List<string> list, string? value, StringComparer comparer)
        {
            if (value is not null && list.Count < most && !list.Contains(value, comparer))
            {
                list.Add(value);
            }
        }
        foreach (var port in ports.Where(p => p.State == PortState.Open && p.Service is not null))
        {
            var service = port.Service!;
            if (!string.Equals(service.Hostname, hostName, StringComparison.OrdinalIgnoreCase))
            {
                Add(hosts, service.Hostname, StringComparer.OrdinalIgnoreCase);
            }
            Add(oses, service.OsType, StringComparer.Ordinal);
            Add(devices, service.DeviceType, StringComparer.Ordinal);
            // Applications' CPEs belong to their port, not the host: XML has them, this line does not (as in nmap).
            foreach (var cpe in service.Cpe.Where(c => !c.StartsWith("cpe:/a", StringComparison.Ordinal)))
            {
                Add(cpes, cpe, StringComparer.Ordinal);
            }
        }
        var parts = new List<string>();
        void Part(string one, string many, List<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{(values.Count == 1 ? one : many)}: {string.Join(", ", values)}");
            }
        }
        Part("Host", "Hosts", hosts);
        Part("OS", "OSs", oses);
        Part("Device", "Devices", devices);
        Part("CPE", "CPE", cpes);
        return parts.Count == 0 ? null : "Service Info: " + string.Join("; ", parts);
    }

    /// <summary>
    /// What the network did to the host: <c>Network: srtt 0.08 ms, rttvar 0.05 ms, timeout 100 ms;
    /// 131,070 probes, 65,535 retries, 12 drops inferred, 2 tries a silent port</c>.
    /// </summary>
    public static string NetworkLine(HostNetwork network)
    {
        var rtt = network.SrttMs is { } srtt && network.RttVarMs is { } rttVar
            ? string.Create(CultureInfo.InvariantCulture, $"srtt {srtt:0.00} ms, rttvar {rttVar:0.00} ms")
            : "no answer timed";
        var tries = network.Tries > 0 ? $", {Count(network.Tries, "try", "tries")} a silent port" : "";
        return $"Network: {rtt}, timeout {Durations.Format(network.TimeoutMs)}; {Count(network.Probes, "probe", "probes")}, "
            + $"{Count(network.Retries, "retry", "retries")}, {Count(network.Drops, "drop", "drops")} inferred{tries}";
    }

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:#,0} {(count == 1 ? one : many)}");

    public static IEnumerable<string> Totals(ScanResult result)
    {
        if (result.PingSweep)
        {
            if (!result.Hosts.Any(h => h.Up))
            {
                yield return "Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn";
            }
            yield return $"Host discovery only (-sn): {GrepableReport.Summary(result)}";
            yield break;
        }
        var s = result.Summary;
        var verb = result.Complete ? "Scanned" : "Partially scanned";
        var hosts = result.Hosts.Count == 1 ? result.Hosts[0].Target.ToString() : $"{result.Hosts.Count} hosts ({result.Hosts.Count(h => h.Up)} up)";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{verb} {s.Scanned} of {Counted.Of(s.Total, "port")} on {hosts} in {result.Elapsed.TotalSeconds:0.00} s ({Counted.Of((long)Math.Round(result.PortsPerSecond), "port")}/s) with {Counted.Of(result.Workers, "worker")}{(result.Request.Schedule.Described is { Length: > 0 } dealt && result.Workers > 1 ? $", {dealt}" : "")}");
        var counts = $"{s.Open} open, {s.Closed} closed, {s.Filtered} filtered{(s.OpenFiltered > 0 ? $", {s.OpenFiltered} open|filtered" : "")}";
        yield return s.Unscanned > 0 ? $"{counts}, {s.Unscanned} unscanned" : counts;
        if (result.Discovery is not null)
        {
            var down = result.Hosts.Where(h => h.SkippedAsDown).ToList();
            if (down.Count > 0)
            {
                yield return $"{Counted.Of(down.Count, "host")} seemed down (no answer to host discovery), so {Counted.Of(down.Sum(h => h.Summary.Unscanned), "port")} were left unscanned; -Pn scans them";
            }
            if (down.Count == result.Hosts.Count)
            {
                yield return "Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn";
            }
            yield return GrepableReport.Summary(result);
        }
        var replacements = result.Slices.Sum(slice => slice.Attempts.Count - 1);
        if (replacements > 0)
        {
            yield return replacements == 1 ? "1 replacement worker was started for a worker that failed" : $"{replacements} replacement workers were started for workers that failed";
        }
        if (result.Interrupted)
        {
            yield return "Stopped on request before the scan was finished";
        }
    }

    /// <summary>Everything after the live part: the host blocks and the totals.</summary>
    public static IEnumerable<string> Report(ReportContext context)
    {
        // As nmap's normal output, hosts discovery found down get no block of their own: the totals count them.
        foreach (var host in context.Result.Hosts.Where(h => (h.PortsScanned || (context.Result.PingSweep && h.Up)) && context.Shown.ShowsHost(h)))
        {
            yield return "";
            foreach (var line in HostBlock(host, context.Services, context.Shown, context.Reasons))
            {
                yield return line;
            }
        }
        yield return "";
        foreach (var line in Totals(context.Result))
        {
            yield return line;
        }
    }

    /// <summary>The whole report, for a file (<c>-oN</c>) or for stdout at the end.</summary>
    public static void Write(TextWriter writer, ReportContext context)
    {
        writer.WriteLine($"# {context.Initiated}");
        writer.WriteLine(Header(context.Result.Request));
        foreach (var line in Report(context))
        {
            writer.WriteLine(line);
        }
    }
}
