using System.Text.Json;
using System.Text.Json.Serialization;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Output;

/// <summary>
/// The documented JSON document (README, "JSON output"). Its field names are a contract that
/// scripts rely on: change them only with a new documented version.
/// </summary>
public sealed record JsonReport(
    string Scanner,
    string Version,
    DateTimeOffset StartedAt,
    bool Complete,
    double ElapsedMs,
    int Workers,
    ProbeSettings Probes,
    int MaxWorkerRestarts,
    IReadOnlyList<JsonHost> Hosts,
    IReadOnlyList<JsonSlice> Slices)
{
    public static JsonReport From(ReportContext context)
    {
        var (result, services) = (context.Result, context.Services);
        var request = result.Request;
        var hosts = result.Hosts.Select(h => new JsonHost(
            h.Target.Name,
            h.Target.Address.ToString(),
            new JsonCounts(h.Summary.Open, h.Summary.Closed, h.Summary.Filtered, h.Summary.OpenFiltered, h.Summary.Unscanned),
            h.Network is { } n
                ? new JsonNetwork(Round(n.SrttMs), Round(n.RttVarMs), n.TimeoutMs, n.RttSamples, n.Probes, n.Retries, n.Drops, n.Tries)
                : null,
            [.. h.Ports(context.ShowClosed).Select(p => new JsonPort(
                p.Port, p.Transport.ToWireName(), p.State.ToWireName(), services[p.Transport, p.Port], p.RttMs, p.Banner))],
            h.TimedOut)).ToList();
        var slices = result.Slices.Select(s => new JsonSlice(
            s.Slice.Worker, s.Slice.Work.ToString(), s.Pid, s.ExitCode,
            Math.Round(s.Elapsed.TotalMilliseconds, 1), s.Open, s.Closed, s.Filtered, s.OpenFiltered,
            s.Unscanned, s.Unscanned > 0 ? s.UnscannedWork().ToString() : null, s.Failure,
            [.. s.Attempts.Select(a => new JsonAttempt(a.Number, a.Work.ToString(), a.Pid, a.ExitCode, Math.Round(a.Elapsed.TotalMilliseconds, 1), a.Failure))])).ToList();
        return new JsonReport(
            "portscan",
            ProductVersion.Current,
            result.StartedAt,
            result.Complete,
            Math.Round(result.Elapsed.TotalMilliseconds, 1),
            result.Slices.Count,
            request.Probes,
            request.MaxWorkerRestarts,
            hosts,
            slices);
    }

    /// <summary>Microsecond precision: what a round-trip time measured in user space can honestly claim.</summary>
    private static double? Round(double? milliseconds) => milliseconds is { } value ? Math.Round(value, 3) : null;

    public void Write(TextWriter writer) => writer.WriteLine(JsonSerializer.Serialize(this, JsonReportContext.Default.JsonReport));

    public static JsonReport Parse(string json) =>
        JsonSerializer.Deserialize(json, JsonReportContext.Default.JsonReport) ?? throw new JsonException("the document is null");
}

/// <summary>A host; <c>network</c> is absent when no worker sent timing for it, <c>timedOut</c> unless --host-timeout gave it up.</summary>
public sealed record JsonHost(
    string Target,
    string Address,
    JsonCounts Counts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNetwork? Network,
    IReadOnlyList<JsonPort> Ports,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool TimedOut = false);

/// <summary>What the network did to a host (<see cref="Scanning.HostNetwork"/>); <c>srttMs</c> and <c>rttVarMs</c> are absent when no answer was timed.</summary>
public sealed record JsonNetwork(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SrttMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RttVarMs,
    int TimeoutMs,
    int RttSamples,
    int Probes,
    int Retries,
    int Drops,
    int Tries);

public sealed record JsonCounts(int Open, int Closed, int Filtered, int OpenFiltered, int Unscanned);

public sealed record JsonPort(
    int Port,
    string Protocol,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Service,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RttMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Banner = null);

/// <summary>
/// A slice: its <c>work</c> (<c>127.0.0.1 1-8191</c>, see docs/protocol.md); <c>pid</c> and
/// <c>exitCode</c> are its last attempt's, <c>attempts</c> lists every worker process it had.
/// </summary>
public sealed record JsonSlice(
    int Worker,
    string Work,
    int? Pid,
    int? ExitCode,
    double ElapsedMs,
    int Open,
    int Closed,
    int Filtered,
    int OpenFiltered,
    int Unscanned,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UnscannedWork,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Failure,
    IReadOnlyList<JsonAttempt> Attempts);

/// <summary>One worker process of a slice: the work it was given (<c>127.0.0.1 1-5,9</c>), and why it failed if it did.</summary>
public sealed record JsonAttempt(
    int Attempt,
    string Work,
    int? Pid,
    int? ExitCode,
    double ElapsedMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Failure);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(JsonReport))]
internal sealed partial class JsonReportContext : JsonSerializerContext;
