using System.Text;
using System.Text.Json;

namespace PortScan.Shared.Protocol;

/// <summary>Turns protocol messages into JSON lines and back.</summary>
public static class ProtocolCodec
{
    /// <summary>The version a worker announces in its hello; bumped on any incompatible change.</summary>
    public const int Version = 9;

    /// <summary>
    /// The first parse sets up System.Text.Json's metadata for every message type (tens of ms): the
    /// coordinator does it while its workers start. Once is enough; later calls cost microseconds.
    /// </summary>
    public static void WarmUp() => _ = TryParse(Serialize(new DoneMessage(0, 0, 0, 0, 0)), out _, out _);

    public static string Serialize(WorkerMessage message)
    {
        using var buffer = new MemoryStream();
        WriteObject(buffer, message);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes one message and its newline.</summary>
    public static void Write(Stream stream, WorkerMessage message)
    {
        WriteObject(stream, message);
        stream.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Written field by field with <see cref="Utf8JsonWriter"/>, not with JsonSerializer: the
    /// serializer's first call sets up metadata for the polymorphic records, which measured 35 ms
    /// of a worker's 67 ms start-up here. Reading (in the coordinator) uses the generated serializer,
    /// and the round-trip tests hold the two to the same format.
    /// </summary>
    private static void WriteObject(Stream stream, WorkerMessage message)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        switch (message)
        {
            case HelloMessage hello:
                json.WriteString("type", "hello");
                json.WriteNumber("protocol", hello.Protocol);
                json.WriteNumber("worker", hello.Worker);
                json.WriteNumber("pid", hello.Pid);
                json.WriteString("work", hello.Work);
                json.WriteStartObject("probes");
                json.WriteNumber("timeoutMs", hello.Probes.TimeoutMs);
                json.WriteNumber("minRttTimeoutMs", hello.Probes.MinRttTimeoutMs);
                json.WriteNumber("initialRttTimeoutMs", hello.Probes.InitialRttTimeoutMs);
                json.WriteNumber("maxRetries", hello.Probes.MaxRetries);
                json.WriteNumber("concurrency", hello.Probes.Concurrency);
                json.WriteNumber("maxRate", hello.Probes.MaxRate);
                json.WriteNumber("bannerMs", hello.Probes.BannerMs);
                json.WriteNumber("minRate", hello.Probes.MinRate);
                json.WriteNumber("hostTimeoutMs", hello.Probes.HostTimeoutMs);
                json.WriteEndObject();
                WriteIfSet(json, "hostname", hello.Hostname);
                WriteIfSet(json, "node", hello.Node);
                WriteIfSet(json, "jobId", hello.JobId);
                WriteIfSet(json, "stepId", hello.StepId);
                break;
            case PortsMessage ports:
                json.WriteString("type", "ports");
                json.WriteString("target", ports.Target);
                json.WriteString("transport", ports.Transport);
                json.WriteStartArray("open");
                foreach (var open in ports.Open)
                {
                    json.WriteStartObject();
                    json.WriteNumber("port", open.Port);
                    json.WriteNumber("rttMs", open.RttMs);
                    if (open.Banner is { } banner)
                    {
                        json.WriteString("banner", banner);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                WriteNumbers(json, "closed", ports.Closed);
                WriteNumbers(json, "filtered", ports.Filtered);
                WriteNumbers(json, "openFiltered", ports.OpenFiltered);
                if (ports.Reasons is { Count: > 0 } reasons)
                {
                    json.WriteStartObject("reasons");
                    foreach (var (reason, numbers) in reasons)
                    {
                        WriteNumbers(json, reason, numbers);
                    }
                    json.WriteEndObject();
                }
                break;
            case HeartbeatMessage heartbeat:
                json.WriteString("type", "heartbeat");
                json.WriteNumber("finished", heartbeat.Finished);
                if (heartbeat.RemainingMs is { } remaining)
                {
                    json.WriteNumber("remainingMs", remaining);
                }
                break;
            case RateMessage rate:
                json.WriteString("type", "rate");
                json.WriteString("target", rate.Target);
                json.WriteNumber("rate", rate.Rate);
                json.WriteString("reason", rate.Reason);
                break;
            case TimingMessage timing:
                json.WriteString("type", "timing");
                json.WriteString("target", timing.Target);
                json.WriteNumber("srttMs", timing.SrttMs);
                json.WriteNumber("rttVarMs", timing.RttVarMs);
                json.WriteNumber("timeoutMs", timing.TimeoutMs);
                json.WriteNumber("rttSamples", timing.RttSamples);
                json.WriteNumber("probes", timing.Probes);
                json.WriteNumber("retries", timing.Retries);
                json.WriteNumber("drops", timing.Drops);
                json.WriteNumber("tries", timing.Tries);
                break;
            case HostTimeoutMessage timedOut:
                json.WriteString("type", "hostTimeout");
                json.WriteString("target", timedOut.Target);
                break;
            case ServiceMessage service:
                json.WriteString("type", "service");
                json.WriteString("target", service.Target);
                json.WriteString("transport", service.Transport);
                json.WriteNumber("port", service.Port);
                WriteService(json, service.Service);
                break;
            case HostMessage host:
                json.WriteString("type", "host");
                json.WriteString("target", host.Target);
                json.WriteBoolean("up", host.Up);
                json.WriteString("reason", host.Reason);
                if (host.RttMs is { } rtt)
                {
                    json.WriteNumber("rttMs", rtt);
                }
                break;
            case DoneMessage done:
                json.WriteString("type", "done");
                json.WriteNumber("open", done.Open);
                json.WriteNumber("closed", done.Closed);
                json.WriteNumber("filtered", done.Filtered);
                json.WriteNumber("openFiltered", done.OpenFiltered);
                json.WriteNumber("elapsedMs", done.ElapsedMs);
                break;
            case ErrorMessage error:
                json.WriteString("type", "error");
                json.WriteString("message", error.Message);
                break;
            case StopMessage:
                json.WriteString("type", "stop");
                break;
            case WorkMessage work:
                json.WriteString("type", "work");
                json.WriteString("work", work.Work);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "not a protocol message");
        }
        json.WriteEndObject();
    }

    /// <summary>The service object: absent fields are left out, as the generated reader expects.</summary>
    private static void WriteService(Utf8JsonWriter json, Ports.DetectedService service)
    {
        json.WriteStartObject("service");
        WriteIfSet(json, "name", service.Name);
        WriteIfSet(json, "product", service.Product);
        WriteIfSet(json, "version", service.Version);
        WriteIfSet(json, "extraInfo", service.ExtraInfo);
        WriteIfSet(json, "hostname", service.Hostname);
        WriteIfSet(json, "osType", service.OsType);
        WriteIfSet(json, "deviceType", service.DeviceType);
        json.WriteStartArray("cpe");
        foreach (var cpe in service.Cpe)
        {
            json.WriteStringValue(cpe);
        }
        json.WriteEndArray();
        json.WriteString("method", service.Method);
        json.WriteNumber("conf", service.Conf);
        WriteIfSet(json, "tunnel", service.Tunnel);
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<int> numbers)
    {
        json.WriteStartArray(name);
        foreach (var number in numbers)
        {
            json.WriteNumberValue(number);
        }
        json.WriteEndArray();
    }

    /// <summary>Parses one line; a bad line is reported, never thrown, because it comes from another process.</summary>
    public static bool TryParse(string line, out WorkerMessage? message, out string error)
    {
        if (ControlLineReader.TryRead(line, out message))
        {
            error = "";
            return true;
        }
        try
        {
            message = JsonSerializer.Deserialize(line, ProtocolJson.Default.WorkerMessage);
            error = message is null ? "the line is JSON null" : "";
            return message is not null;
        }
        catch (JsonException e)
        {
            message = null;
            error = e.Message;
            return false;
        }
        catch (NotSupportedException e)
        {
            // Raised for a missing or unknown "type" discriminator.
            message = null;
            error = e.Message;
            return false;
        }
    }
}
