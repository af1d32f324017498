using System.Text;
using System.Text.Json;

namespace PortScan.Shared.Protocol;

/// <summary>
/// A spare worker (<c>portscan-worker --spare</c>) is started by the coordinator before its slice
/// exists, so that the worker's runtime start-up overlaps the coordinator's own: its first stdin
/// line then carries the command line it would otherwise have been started with,
/// <c>{"type":"arguments","arguments":["--target","127.0.0.1",…]}</c>, and from there on it is an
/// ordinary worker. Written and read here with <see cref="Utf8JsonWriter"/> and
/// <see cref="Utf8JsonReader"/>, as the other hot lines are, so neither side waits for the generated
/// serializer's metadata on the way to the first probe.
/// </summary>
public static class SpareArguments
{
    /// <summary>The spare's only command-line argument.</summary>
    public const string Flag = "--spare";

    private const string Type = "arguments";

    public static string Line(IReadOnlyList<string> arguments)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteStartArray("arguments");
            foreach (var argument in arguments)
            {
                json.WriteStringValue(argument);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The arguments of an <c>arguments</c> line; false for anything else.</summary>
    public static bool TryRead(string line, out string[] arguments)
    {
        arguments = [];
        string? type = null;
        List<string>? read = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }
                if (name == "type" && type is null && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString();
                }
                else if (name == "arguments" && read is null && reader.TokenType == JsonTokenType.StartArray)
                {
                    read = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        read.Add(reader.GetString()!);
                    }
                    if (reader.TokenType != JsonTokenType.EndArray)
                    {
                        return false;
                    }
                }
                else
                {
                    return false;
                }
            }
            // One object and nothing after it.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (type != Type || read is null)
        {
            return false;
        }
        arguments = [.. read];
        return true;
    }
}
