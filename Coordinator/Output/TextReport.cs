using System.Globalization;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>The human-readable report, in nmap's layout: <c>22/tcp  open  ssh</c>.</summary>
public static class TextReport
{
    public static string Header(ScanRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"Scanning {Describe(request.Target)}, ports {request.Ports} ({request.Ports.Count} ports), {request.Workers} workers, timeout {request.Timeout.TotalMilliseconds:0} ms");

    public const string ColumnHeader = "PORT        STATE     SERVICE";

    public static string PortLine(int port, PortState state, string? service) =>
        $"{port + "/tcp",-11} {state.ToWireName(),-9} {service}".TrimEnd();

    public static IEnumerable<string> Totals(ScanResult result)
    {
        var s = result.Summary;
        var verb = result.Complete ? "Scanned" : "Partially scanned";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{verb} {s.Scanned} of {s.Total} ports on {Describe(result.Request.Target)} in {result.Elapsed.TotalSeconds:0.00} s ({result.PortsPerSecond:#,0} ports/s) with {result.Slices.Count} workers");
        var counts = $"{s.Open} open, {s.Closed} closed, {s.Filtered} filtered";
        yield return s.Unscanned > 0 ? $"{counts}, {s.Unscanned} unscanned" : counts;
        var replacements = result.Slices.Sum(slice => slice.Attempts.Count - 1);
        if (replacements > 0)
        {
            yield return $"{replacements} replacement workers were started for workers that failed";
        }
        if (result.Interrupted)
        {
            yield return "Stopped on request before the scan was finished";
        }
    }

    /// <summary>The whole report, ports sorted, for a file or for stdout at the end.</summary>
    public static void Write(TextWriter writer, ScanResult result, ServiceNames services, bool showClosed)
    {
        writer.WriteLine(Header(result.Request));
        writer.WriteLine(ColumnHeader);
        foreach (var (port, state, _) in result.Ports(showClosed))
        {
            writer.WriteLine(PortLine(port, state, services[port]));
        }
        foreach (var line in Totals(result))
        {
            writer.WriteLine(line);
        }
    }

    private static string Describe(ResolvedTarget target) =>
        target.Name == target.Address.ToString() ? target.Name : $"{target.Name} ({target.Address})";
}
