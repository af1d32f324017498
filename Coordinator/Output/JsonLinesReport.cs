using System.Text.Json;
using System.Text.Json.Serialization;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format jsonl</c>: one JSON object a line, for <c>jq</c> and other pipelines. On stdout a
/// <c>port</c> line is written the moment a worker reports the port (open ones; every one with
/// --show-closed; open and open|filtered ones with --open), and a <c>summary</c> line ends the stream. With --show-closed, unscanned
/// host-ports get a <c>port</c> line of their own before the summary, so every requested
/// host-port appears exactly once. A file (<c>-o</c>) gets the same lines in host and port order.
/// With -sV an open port's line waits for its service (version detection comes after the port scan);
/// an open port whose worker failed before probing it gets its line at the end, with no probed service.
/// </summary>
public sealed class JsonLinesReport(TextWriter writer, ServiceNames services, ShownPorts shown, bool versionScan) : IScanObserver
{
    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (shown.Lists(port.State) && !(versionScan && port.State == PortState.Open))
        {
            WritePort(host, port);
        }
    }

    public void ServiceFound(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        if (shown.Lists(port.State))
        {
            WritePort(host, port);
        }
    }

    /// <summary>After a streamed scan: the unscanned host-ports (with --show-closed) and the summary.</summary>
    public void Finish(ScanResult result)
    {
        if (versionScan)
        {
            foreach (var host in result.Hosts)
            {
                foreach (var port in host.Ports(includeNotOpen: false).Where(p => p.Service is null && shown.Lists(p.State)))
                {
                    WritePort(host.Target, port);
                }
            }
        }
        if (shown.Lists(PortState.Unscanned))
        {
            foreach (var host in result.Hosts)
            {
                foreach (var port in host.Ports(includeNotOpen: true).Where(p => p.State == PortState.Unscanned))
                {
                    WritePort(host.Target, port);
                }
            }
        }
        WriteSummary(result);
    }

    /// <summary>The whole stream at once, for a file.</summary>
    public static void Write(TextWriter writer, ReportContext context)
    {
        var report = new JsonLinesReport(writer, context.Services, context.Shown, context.Result.Request.Version is not null);
        foreach (var host in context.Result.Hosts)
        {
            foreach (var port in context.Shown.Of(host))
            {
                report.WritePort(host.Target, port);
            }
        }
        report.WriteSummary(context.Result);
    }

    private void WritePort(ResolvedTarget host, PortResult port) =>
        writer.WriteLine(JsonSerializer.Serialize(
            new JsonPortLine("port", host.Name, host.Address.ToString(), port.Port, port.Transport.ToWireName(), port.State.ToWireName(),
                port.Reason.ToWireName(), JsonService.Of(port, services, versionScan), port.State == PortState.Open ? port.RttMs : null, port.Banner),
            JsonLinesContext.Default.JsonPortLine));

    private void WriteSummary(ScanResult result)
    {
        var s = result.Summary;
        writer.WriteLine(JsonSerializer.Serialize(
            new JsonSummaryLine("summary", result.Complete, Math.Round(result.Elapsed.TotalMilliseconds, 1), result.Hosts.Count,
                result.Hosts.Count(h => h.Up), s.Open, s.Closed, s.Filtered, s.OpenFiltered, s.Unscanned, result.Hosts.Count(h => h.TimedOut)),
            JsonLinesContext.Default.JsonSummaryLine));
        writer.Flush();
    }
}

public sealed record JsonPortLine(
    string Type,
    string Target,
    string Address,
    int Port,
    string Protocol,
    string State,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonService? Service,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RttMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Banner);

/// <param name="HostsTimedOut">Hosts --host-timeout gave up: their unscanned ports are so by request.</param>
public sealed record JsonSummaryLine(
    string Type, bool Complete, double ElapsedMs, int Hosts, int HostsUp, int Open, int Closed, int Filtered, int OpenFiltered, int Unscanned, int HostsTimedOut);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonPortLine))]
[JsonSerializable(typeof(JsonSummaryLine))]
internal sealed partial class JsonLinesContext : JsonSerializerContext;
