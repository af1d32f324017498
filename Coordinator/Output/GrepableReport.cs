using System.Text;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format grepable</c>, <c>-oG</c>: nmap's grepable layout, one line a host and fact, fields
/// separated by tabs: <c>Host: 127.0.0.1 (localhost)\tPorts: 22/open/tcp//ssh///\tIgnored State: closed (999)</c>.
/// Unscanned ports, which nmap never has, go in a comment line so no result is lost.
/// </summary>
public static class GrepableReport
{
    public static void Write(TextWriter writer, ReportContext context)
    {
        var result = context.Result;
        writer.WriteLine($"# {context.Initiated}");
        foreach (var host in result.Hosts)
        {
            var prefix = $"Host: {host.Target.Address} ({host.Target.HostName})";
            writer.WriteLine($"{prefix}\tStatus: {(host.Up ? "Up" : "Down")}");
            var listing = PortListing.Of(host, context.ShowClosed);
            var line = new StringBuilder(prefix).Append("\tPorts: ");
            line.AppendJoin(", ", listing.Listed.Select(p => $"{p.Port}/{p.State.ToWireName()}/tcp//{context.Services[p.Port]}///"));
            var ignored = listing.Folded.Where(f => f.State != PortState.Unscanned).ToList();
            if (ignored.Count > 0)
            {
                line.Append($"\tIgnored State: {ignored[0].State.ToWireName()} ({ignored[0].Count})");
            }
            writer.WriteLine(line.ToString());
            if (host.Summary.Unscanned > 0)
            {
                var unscanned = PortSet.Of(host.Ports(includeNotOpen: true).Where(p => p.State == PortState.Unscanned).Select(p => new PortRange(p.Port, p.Port)));
                writer.WriteLine($"# {host.Target.Address}: {host.Summary.Unscanned} ports unscanned: {unscanned}");
            }
        }
        writer.WriteLine($"# portscan done at {NmapDates.Format(context.FinishedAt)} -- {Summary(result)}");
    }

    /// <summary>nmap's closing summary: "2 IP addresses (1 host up) scanned in 0.05 seconds".</summary>
    public static string Summary(ScanResult result)
    {
        var count = result.Hosts.Count;
        var up = result.Hosts.Count(h => h.Up);
        return FormattableString.Invariant(
            $"{count} IP {(count == 1 ? "address" : "addresses")} ({up} {(up == 1 ? "host" : "hosts")} up) scanned in {result.Elapsed.TotalSeconds:0.00} seconds");
    }
}
