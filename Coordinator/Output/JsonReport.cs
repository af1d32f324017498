using System.Text.Json;
using System.Text.Json.Serialization;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;

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
    string Schedule,
    ProbeSettings Probes,
    int MaxWorkerRestarts,
    IReadOnlyList<JsonHost> Hosts,
    IReadOnlyList<JsonSlice> Slices)
{
    public static JsonReport From(ReportContext context)
    {
        var (result, services) = (context.Result, context.Services);
        var request = result.Request;
        // Made one at a time as the document is written: a sweep's hosts are never all held as JSON at once.
        var hosts = new MappedList<HostResult, JsonHost>(result.Hosts, h => new JsonHost(
            h.Target.Name,
            h.Target.Address.ToString(),
            new JsonCounts(h.Summary.Open, h.Summary.Closed, h.Summary.Filtered, h.Summary.OpenFiltered, h.Summary.Unscanned),
            h.Network is { } n
                ? new JsonNetwork(Round(n.SrttMs), Round(n.RttVarMs), n.TimeoutMs, n.RttSamples, n.Probes, n.Retries, n.Drops, n.Tries)
                : null,
            [.. context.Shown.Of(h).Select(p => new JsonPort(
                p.Port, p.Transport.ToWireName(), p.State.ToWireName(), p.Reason.ToWireName(), JsonService.Of(p, services, request.Version is not null), p.RttMs, p.Banner))],
            h.TimedOut,
            result.Discovery is null ? null : new JsonStatus(h.Up ? "up" : "down", h.Reason.ToWireName())));
        var slices = result.Slices.Select(s =>
        {
            var unscanned = s.Unscanned > 0 ? s.UnscannedWork() : null;
            return new JsonSlice(
                s.Slice.Worker, s.Slice.Work.ToString(), JsonSegment.Of(s.Slice.Work), s.Pid, s.ExitCode,
                Math.Round(s.Elapsed.TotalMilliseconds, 1), s.Open, s.Closed, s.Filtered, s.OpenFiltered,
                s.Unscanned, unscanned?.ToString(), unscanned is null ? null : JsonSegment.Of(unscanned), s.Failure,
                [.. s.Attempts.Select(a => new JsonAttempt(a.Number, a.WorkerId, a.Work.ToString(), JsonSegment.Of(a.Work), a.Pid, a.ExitCode,
                    Math.Round(a.Elapsed.TotalMilliseconds, 1), a.Failure, JsonLaunch.Of(a)))]);
        }).ToList();
        return new JsonReport(
            "portscan",
            ProductVersion.Current,
            result.StartedAt,
            result.Complete,
            Math.Round(result.Elapsed.TotalMilliseconds, 1),
            result.Workers,
            request.Schedule.Name,
            request.Probes,
            request.MaxWorkerRestarts,
            hosts,
            slices);
    }

    /// <summary>Microsecond precision: what a round-trip time measured in user space can honestly claim.</summary>
    private static double? Round(double? milliseconds) => milliseconds is { } value ? Math.Round(value, 3) : null;

    /// <summary>
    /// Streams the document into <paramref name="writer"/>: the serializer flushes its buffer as it
    /// fills (its metadata mode; the generated fast path would build the whole document first).
    /// </summary>
    public void Write(TextWriter writer)
    {
        using (var stream = new TextWriterStream(writer))
        {
            JsonSerializer.Serialize(stream, this, JsonReportContext.Default.JsonReport);
        }
        writer.WriteLine();
    }

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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool TimedOut = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonStatus? Status = null);

/// <summary>Host discovery's finding, nmap's host status: <c>up</c> or <c>down</c>, and its reason word (<c>echo-reply</c>, <c>syn-ack</c>, <c>conn-refused</c>, <c>no-response</c>); absent when the scan had no discovery.</summary>
public sealed record JsonStatus(string State, string Reason);

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
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonService? Service,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RttMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Banner = null);

/// <summary>
/// A slice: its <c>work</c> (<c>127.0.0.1 1-8191</c>, see docs/protocol.md) and the same as
/// <c>segments</c>; <c>pid</c> and <c>exitCode</c> are its last attempt's, <c>attempts</c> lists every
/// worker process it had.
/// </summary>
public sealed record JsonSlice(
    int Worker,
    string Work,
    IReadOnlyList<JsonSegment> Segments,
    int? Pid,
    int? ExitCode,
    double ElapsedMs,
    int Open,
    int Closed,
    int Filtered,
    int OpenFiltered,
    int Unscanned,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UnscannedWork,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<JsonSegment>? UnscannedSegments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Failure,
    IReadOnlyList<JsonAttempt> Attempts);

/// <summary>
/// One worker of a slice: the work it was given (<c>127.0.0.1 1-5,9</c>), why it failed if it did,
/// and where it ran. <c>pid</c> and <c>exitCode</c> are the process started here: the worker, or the
/// ssh or srun that carried it. <c>worker</c> is the process's number: the slice's own under the block
/// and cyclic schedules; under the dynamic one, where slices are chunks, the worker that took the
/// chunk (its <c>exitCode</c> is null when it went on to another chunk).
/// </summary>
public sealed record JsonAttempt(
    int Attempt,
    int Worker,
    string Work,
    IReadOnlyList<JsonSegment> Segments,
    int? Pid,
    int? ExitCode,
    double ElapsedMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Failure,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonLaunch? Launch = null);

/// <summary>
/// Where an attempt ran: its <c>launcher</c> (<c>local</c>, <c>ssh</c>, <c>slurm</c>) and, for ssh,
/// the <c>host</c> it was sent to (as --hosts gives it); then what the worker said of itself in its
/// hello: <c>hostname</c>, its own <c>pid</c> there, and under Slurm its <c>node</c>, <c>jobId</c> and
/// <c>stepId</c>. Those are absent when the worker never said hello (ssh could not connect).
/// </summary>
public sealed record JsonLaunch(
    string Launcher,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hostname,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Pid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StepId)
{
    public static JsonLaunch? Of(WorkerAttempt attempt) =>
        attempt.Launch is { } launch
            ? new JsonLaunch(launch.Launcher, launch.Host, attempt.Hello?.Hostname, attempt.Hello?.Pid, attempt.Hello?.Node, attempt.Hello?.JobId, attempt.Hello?.StepId)
            : null;
}

/// <summary>
/// One segment of a <c>work</c> string (a <see cref="WorkSegment"/>: every port of <c>ports</c> on every
/// host of <c>hosts</c>), so scripts need not parse the wire syntax. <c>firstHost</c> and <c>lastHost</c>
/// are there when the hosts are one run of consecutive addresses (or one host); <c>protocol</c> when
/// the ports are of one transport, and then <c>firstPort</c> and <c>lastPort</c> when they are one range.
/// </summary>
public sealed record JsonSegment(
    string Hosts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FirstHost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastHost,
    int HostCount,
    string Ports,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Protocol,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FirstPort,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LastPort,
    int PortCount)
{
    public static IReadOnlyList<JsonSegment> Of(WorkSet work) => [.. work.Segments.Select(Of)];

    public static JsonSegment Of(WorkSegment segment)
    {
        var hosts = segment.Hosts;
        var run = hosts.Zip(hosts.Skip(1)).All(pair => AddressArithmetic.Follows(pair.First, pair.Second));
        var ports = segment.Ports;
        var transports = ports.Transports.ToList();
        var set = transports.Count == 1 ? ports[transports[0]] : null;
        var range = set is { Ranges.Count: 1 } ? set.Ranges[0] : (PortRange?)null;
        return new JsonSegment(
            HostList.Format(hosts),
            run ? hosts[0].ToString() : null,
            run ? hosts[^1].ToString() : null,
            hosts.Count,
            ports.ToString(),
            set is null ? null : transports[0].ToWireName(),
            range?.Start,
            range?.End,
            ports.Count);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(JsonReport))]
internal sealed partial class JsonReportContext : JsonSerializerContext;
