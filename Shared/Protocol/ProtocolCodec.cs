using System.Text.Json;

namespace PortScan.Shared.Protocol;

/// <summary>Turns protocol messages into JSON lines and back.</summary>
public static class ProtocolCodec
{
    /// <summary>The version a worker announces in its hello; bumped on any incompatible change.</summary>
    public const int Version = 1;

    public static string Serialize(WorkerMessage message) =>
        JsonSerializer.Serialize(message, ProtocolJson.Default.WorkerMessage);

    public static void Write(Stream stream, WorkerMessage message)
    {
        JsonSerializer.Serialize(stream, message, ProtocolJson.Default.WorkerMessage);
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Parses one line; a bad line is reported, never thrown, because it comes from another process.</summary>
    public static bool TryParse(string line, out WorkerMessage? message, out string error)
    {
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
