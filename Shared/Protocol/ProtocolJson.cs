using System.Text.Json.Serialization;

namespace PortScan.Shared.Protocol;

/// <summary>Source-generated serializers: no reflection at start-up, which workers pay for every scan.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkerMessage))]
internal sealed partial class ProtocolJson : JsonSerializerContext;
