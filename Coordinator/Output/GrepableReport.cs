using System.Text;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format grepable</c>, <c>-oG</c>: nmap's grepable layout, one line a host and fact, fields
/// separated by tabs: <c>Host: 127.0.0.1 (localhost)\tPorts: 22/open/tcp//ssh///\tIgnored State: closed (999)</c>.
/// Unscanned ports, which nmap never has, go in a comment line so no result is lost. A banner goes
/// in the version field, with the layout's separators escaped as the banner escapes any byte
/// (<c>/</c> as <c>/</c>, <c>,</c> as <c>,</c>).
/// </summary>
public static class GrepableReport
{
    public static void Write(TextWriter writer, ReportContext context)
    {
        var result = context.Result;
        writer.WriteLine($"# {context.Initiated}");
        foreach (var host in result.Hosts)
        {
            // As nmap's --open: no lines for a host with no port that is or may be open.
            if (context.Shown.ShowsHost(host))
            {
                WriteHost(writer, host, context);
            }
            if (host.Summary.Unscanned > 0)
            {
                var unscanned = PortSelection.Of(host.Ports(includeNotOpen: true).Where(p => p.State == PortState.Unscanned).Select(p => (p.Transport, p.Port)));
                writer.WriteLine($"# {host.Target.Address}: {Counted.Of(host.Summary.Unscanned, "port")} unscanned{(host.TimedOut ? " (host timeout)" : "")}: {unscanned}");
            }
        }
        writer.WriteLine($"# portscan done at {NmapDates.Format(context.FinishedAt)} -- {Summary(result)}");
    }

    private static void WriteHost(TextWriter writer, HostResult host, ReportContext context)
    {
        var prefix = $"Host: {host.Target.Address} ({host.Target.HostName})";
        writer.WriteLine($"{prefix}\tStatus: {(host.TimedOut ? "Timeout" : host.Up ? "Up" : "Down")}");
        if (!host.PortsScanned)
        {
            // Found down, or a ping sweep: as nmap's, a status line alone (a down host's unscanned ports follow in a comment).
            return;
        }
        var listing = PortListing.Of(host, context.Shown);
        var line = new StringBuilder(prefix).Append("\tPorts: ");
        var versions = host.VersionScanned;
        line.AppendJoin(", ", listing.Listed.Select(p => versions
            // nmap's -oG with -sV: '/' in the service and version fields written '|' (output.cc).
            ? $"{p.Port}/{p.State.ToWireName()}/{p.Transport.ToWireName()}//{ServiceLabel.Of(p, context.Services, true)?.Replace('/', '|')}//{VersionField(p)}/"
            : $"{p.Port}/{p.State.ToWireName()}/{p.Transport.ToWireName()}//{context.Services[p.Transport, p.Port]}//{Field(p.Banner)}/"));
        var ignored = listing.Folded.Where(f => f.State != PortState.Unscanned).ToList();
        if (ignored.Count > 0)
        {
            // nmap has one such field; a scan of both transports (or --open) may fold more states, all named here.
            line.Append($"\tIgnored State: {string.Join(", ", ignored.Select(f => $"{f.State.ToWireName()} ({f.Count})"))}");
        }
        writer.WriteLine(line.ToString());
    }

    /// <summary>-sV's version (nmap's "product version (extra info)") with '/' as '|', as nmap writes it; else the banner.</summary>
    private static string VersionField(PortResult port) =>
        ServiceLabel.Version(port) is { Length: > 0 } version ? version.Replace('/', '|') : Field(port.Banner);

    private static string Field(string? banner) =>
        banner?.Replace("/", @"\x2f", StringComparison.Ordinal).Replace(",", @"\x2c", StringComparison.Ordinal) ?? "";

    /// <summary>nmap's closing summary: "2 IP addresses (1 host up) scanned in 0.05 seconds".</summary>
    public static string Summary(ScanResult result)
    {
        var count = result.Hosts.Count;
        var up = result.Hosts.Count(h => h.Up);
        return FormattableString.Invariant(
            $"{count} IP {(count == 1 ? "address" : "addresses")} ({up} {(up == 1 ? "host" : "hosts")} up) scanned in {result.Elapsed.TotalSeconds:0.00} seconds");
    }
}
