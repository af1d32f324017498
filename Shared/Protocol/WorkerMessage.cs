using System.Text.Json.Serialization;

namespace PortScan.Shared.Protocol;

/// <summary>
/// One line of a worker's stdout. The <c>type</c> field names the message; see docs/protocol.md.
/// A worker sends one <see cref="HelloMessage"/>, then <see cref="PortsMessage"/>s until every
/// port it was given has been reported exactly once, then one <see cref="DoneMessage"/>.
/// <see cref="HeartbeatMessage"/>s fill any silence, so a silent worker is a hung worker.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(PortsMessage), "ports")]
[JsonDerivedType(typeof(HeartbeatMessage), "heartbeat")]
[JsonDerivedType(typeof(DoneMessage), "done")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record WorkerMessage;

/// <summary>First line: who is speaking, which protocol, which work (<c>127.0.0.1 1-5,9</c>: see <see cref="Work.WorkSet"/>).</summary>
public sealed record HelloMessage(
    int Protocol,
    int Worker,
    int Pid,
    string Work,
    int TimeoutMs,
    int Concurrency) : WorkerMessage;

/// <summary>
/// A batch of finished ports of one host (<paramref name="Target"/>, an IP literal). Ports are
/// grouped by state because a full scan is mostly closed ports: a list of numbers is several times
/// smaller to write and parse than an object a port.
/// </summary>
public sealed record PortsMessage(
    string Target,
    IReadOnlyList<OpenPort> Open,
    IReadOnlyList<int> Closed,
    IReadOnlyList<int> Filtered) : WorkerMessage;

/// <summary>An open port and the time its handshake took.</summary>
public sealed record OpenPort(int Port, double RttMs);

/// <summary>"Still working": sent after a second with nothing else to say; <paramref name="Finished"/> counts ports reported so far.</summary>
public sealed record HeartbeatMessage(int Finished) : WorkerMessage;

/// <summary>Last line of a worker that scanned its whole slice.</summary>
public sealed record DoneMessage(int Open, int Closed, int Filtered, double ElapsedMs) : WorkerMessage;

/// <summary>A worker that cannot go on says why before exiting non-zero.</summary>
public sealed record ErrorMessage(string Message) : WorkerMessage;
