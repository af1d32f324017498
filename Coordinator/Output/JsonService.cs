using System.Text.Json;
using System.Text.Json.Serialization;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A port's <c>service</c> in the JSON and JSON-lines reports. Without -sV it is what it has always
/// been, the services file's name as a string (<c>"service": "ssh"</c>), so scripts written for that
/// keep working; with -sV it is an object: the name (probed, or the table's), product, version,
/// extraInfo, hostname, osType, deviceType, cpe, method (<c>probed</c> or <c>table</c>), conf and tunnel
/// (<c>ssl</c>), absent fields left out.
/// </summary>
[JsonConverter(typeof(JsonServiceConverter))]
public sealed record JsonService(
    string? Name,
    DetectedService? Detected = null)
{
    /// <summary>The field for a port: null when there is nothing to say (no -sV and no name in the services file).</summary>
    public static JsonService? Of(PortResult port, ServiceNames names, bool versionScan)
    {
        var table = names[port.Transport, port.Port];
        if (!versionScan || port.State != PortState.Open)
        {
            return table is null ? null : new JsonService(table);
        }
        return new JsonService(port.Service?.Name ?? table, port.Service ?? DetectedService.Unmatched());
    }
}

/// <summary>Writes <see cref="JsonService"/> as a string or an object, and reads either back.</summary>
public sealed class JsonServiceConverter : JsonConverter<JsonService>
{
    public override JsonService? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new JsonService(reader.GetString());
        }
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        var detected = new DetectedService(
            Text("method") ?? DetectedService.Table,
            root.TryGetProperty("conf", out var conf) ? conf.GetInt32() : 0,
            root.TryGetProperty("cpe", out var cpe) ? [.. cpe.EnumerateArray().Select(c => c.GetString()!)] : [],
            Text("name"), Text("product"), Text("version"), Text("extraInfo"), Text("hostname"), Text("osType"), Text("deviceType"), Text("tunnel"));
        return new JsonService(detected.Name, detected);
    }

    public override void Write(Utf8JsonWriter writer, JsonService value, JsonSerializerOptions options)
    {
        if (value.Detected is not { } detected)
        {
            writer.WriteStringValue(value.Name);
            return;
        }
        writer.WriteStartObject();
        void Text(string name, string? text)
        {
            if (text is not null)
            {
                writer.WriteString(name, text);
            }
        }
        Text("name", value.Name);
        Text("product", detected.Product);
        Text("version", detected.Version);
        Text("extraInfo", detected.ExtraInfo);
        Text("hostname", detected.Hostname);
        Text("osType", detected.OsType);
        Text("deviceType", detected.DeviceType);
        writer.WriteStartArray("cpe");
        foreach (var cpe in detected.Cpe)
        {
            writer.WriteStringValue(cpe);
        }
        writer.WriteEndArray();
        writer.WriteString("method", detected.Method);
        writer.WriteNumber("conf", detected.Conf);
        Text("tunnel", detected.Tunnel);
        writer.WriteEndObject();
    }
}
