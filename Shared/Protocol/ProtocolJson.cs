using System.Text.Json.Serialization;

namespace PortScan.Shared.Protocol;

/// <summary>Source-generated reading of protocol lines in the coordinator (workers write with Utf8JsonWriter, see <see cref="ProtocolCodec"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkerMessage))]
internal sealed partial class ProtocolJson : JsonSerializerContext;
