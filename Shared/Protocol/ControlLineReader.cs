using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PortScan.Shared.Protocol;

/// <summary>
/// Reads the coordinator's lines to a worker (<c>stop</c>, <c>work</c>, <c>timing</c>,
/// <c>hostTimeout</c>) with <see cref="Utf8JsonReader"/>. A worker reads nothing else, and the
/// generated serializer's first call sets up the metadata of every message type: measured 70 ms
/// of CPU a worker, which held up a dynamic worker's next chunk behind a timing hint for 300 ms
/// with 8 workers on 2 cores. Anything this reader does not expect (another type, an extra or a
/// repeated field, a number of the wrong kind) it leaves to the generated serializer, which reads
/// or rejects it as always: this reader can make a line faster, never read it differently.
/// </summary>
internal static class ControlLineReader
{
    public static bool TryRead(string line, out WorkerMessage? message)
    {
        message = null;
        var fields = new Dictionary<string, (JsonTokenType Kind, string Text)>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number)
                    || !fields.TryAdd(name, (reader.TokenType, reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan))))
                {
                    return false;
                }
            }
            // One object and nothing after it: Read throws on a second value, as the serializer rejects one.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        message = Text(fields, "type") switch
        {
            "stop" when fields.Count == 1 => new StopMessage(),
            "work" when fields.Count == 2 && Text(fields, "work") is { } work => new WorkMessage(work),
            "hostTimeout" when fields.Count == 2 && Text(fields, "target") is { } target => new HostTimeoutMessage(target),
            "timing" when fields.Count == 10 => Timing(fields),
            _ => null,
        };
        return message is not null;
    }

    private static TimingMessage? Timing(Dictionary<string, (JsonTokenType Kind, string Text)> fields) =>
        Text(fields, "target") is { } target
        && Real(fields, "srttMs") is { } srtt && Real(fields, "rttVarMs") is { } rttVar
        && Whole(fields, "timeoutMs") is { } timeout && Whole(fields, "rttSamples") is { } samples
        && Whole(fields, "probes") is { } probes && Whole(fields, "retries") is { } retries
        && Whole(fields, "drops") is { } drops && Whole(fields, "tries") is { } tries
            ? new TimingMessage(target, srtt, rttVar, timeout, samples, probes, retries, drops, tries)
            : null;

    private static string? Text(Dictionary<string, (JsonTokenType Kind, string Text)> fields, string name) =>
        fields.TryGetValue(name, out var field) && field.Kind == JsonTokenType.String ? field.Text : null;

    private static double? Real(Dictionary<string, (JsonTokenType Kind, string Text)> fields, string name) =>
        fields.TryGetValue(name, out var field) && field.Kind == JsonTokenType.Number
        && double.TryParse(field.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static int? Whole(Dictionary<string, (JsonTokenType Kind, string Text)> fields, string name) =>
        fields.TryGetValue(name, out var field) && field.Kind == JsonTokenType.Number
        && int.TryParse(field.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
