namespace PortScan.Shared.Protocol;

/// <summary>
/// Host discovery's finding for one host of a discovery worker's slice (<c>--discover</c>), sent once a host
/// after its probes' ports: <paramref name="Up"/> when anything answered, <paramref name="Reason"/> nmap's word for
/// what did (<c>echo-reply</c>, <c>syn-ack</c>, <c>conn-refused</c>; <c>no-response</c> for a host that is down),
/// and the quickest answer's round-trip time (null for a host that is down).
/// </summary>
public sealed record HostMessage(string Target, bool Up, string Reason, double? RttMs = null) : WorkerMessage;
