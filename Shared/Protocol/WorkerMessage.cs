using System.Text.Json.Serialization;

namespace PortScan.Shared.Protocol;

/// <summary>
/// One line of a worker's stdout. The <c>type</c> field names the message; see docs/protocol.md.
/// A worker sends one <see cref="HelloMessage"/>, then <see cref="PortsMessage"/>s until every
/// port it was given has been reported exactly once, then one <see cref="DoneMessage"/>.
/// <see cref="HeartbeatMessage"/>s come every second, so a silent worker is a hung worker.
/// <see cref="RateMessage"/>s say when it changed its pace to a host; before done (or the error of
/// a stopped worker) one <see cref="TimingMessage"/> a host says what the network did. The
/// coordinator writes <see cref="TimingMessage"/>, <see cref="HostTimeoutMessage"/>,
/// <see cref="StopMessage"/> and, to a dynamic worker after each done, <see cref="WorkMessage"/>
/// lines to a supervised worker's stdin.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(PortsMessage), "ports")]
[JsonDerivedType(typeof(HeartbeatMessage), "heartbeat")]
[JsonDerivedType(typeof(RateMessage), "rate")]
[JsonDerivedType(typeof(TimingMessage), "timing")]
[JsonDerivedType(typeof(HostTimeoutMessage), "hostTimeout")]
[JsonDerivedType(typeof(ServiceMessage), "service")]
[JsonDerivedType(typeof(HostMessage), "host")]
[JsonDerivedType(typeof(DoneMessage), "done")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
[JsonDerivedType(typeof(StopMessage), "stop")]
[JsonDerivedType(typeof(WorkMessage), "work")]
public abstract record WorkerMessage;

/// <summary>
/// First line: who is speaking, which protocol, which work (<c>127.0.0.1 1-5,9</c>: see
/// <see cref="Work.WorkSet"/>), and the probe settings the worker really uses (its concurrency after
/// its open-file limit, its share of <c>--max-rate</c>). Then where it runs, for the reports: the
/// machine's <paramref name="Hostname"/>, and under Slurm the node, job and step it runs as
/// (<c>SLURMD_NODENAME</c>, <c>SLURM_JOB_ID</c>, <c>SLURM_STEP_ID</c>, as its environment has them):
/// a worker started through ssh or srun is the only one who knows.
/// </summary>
public sealed record HelloMessage(
    int Protocol,
    int Worker,
    int Pid,
    string Work,
    ProbeSettings Probes,
    string? Hostname = null,
    string? Node = null,
    string? JobId = null,
    string? StepId = null) : WorkerMessage;

/// <summary>
/// A batch of finished ports of one host (<paramref name="Target"/>, an IP literal) and one
/// transport (<c>tcp</c> or <c>udp</c>). Ports are grouped by state because a full scan is mostly
/// closed ports: a list of numbers is several times smaller to write and parse than an object a port.
/// <paramref name="OpenFiltered"/> is UDP's "no answer" and always empty for TCP. A filtered port was
/// silent unless <paramref name="Reasons"/> names it under the error that filtered it
/// (<c>{"host-unreach": [80, 81]}</c>, nmap's words, <see cref="Ports.PortReason"/>): the one thing about
/// a port its state does not tell, sent only for the ports it concerns, so the lists stay compact.
/// </summary>
public sealed record PortsMessage(
    string Target,
    string Transport,
    IReadOnlyList<OpenPort> Open,
    IReadOnlyList<int> Closed,
    IReadOnlyList<int> Filtered,
    IReadOnlyList<int> OpenFiltered,
    IReadOnlyDictionary<string, IReadOnlyList<int>>? Reasons = null) : WorkerMessage;

/// <summary>
/// An open port, the time its handshake (TCP) or reply (UDP) took, and with <c>--banners</c> what a
/// TCP service said first, escaped and cut by <see cref="Ports.Banner"/> (absent when it said nothing).
/// </summary>
public sealed record OpenPort(int Port, double RttMs, string? Banner = null);

/// <summary>
/// "Still working", every second: <paramref name="Finished"/> counts ports reported so far;
/// <paramref name="RemainingMs"/> is the worker's estimate of the time its work still needs, from
/// what that work costs (timeouts, tries owed, its rate), or null when it cannot tell.
/// </summary>
public sealed record HeartbeatMessage(int Finished, long? RemainingMs = null) : WorkerMessage;

/// <summary>
/// The worker changed how fast it probes <paramref name="Target"/>: <paramref name="Rate"/> probes a
/// second from now on (0: no limit of its own), and why, in words for a log (shown with <c>-v</c>).
/// </summary>
public sealed record RateMessage(string Target, double Rate, string Reason) : WorkerMessage;

/// <summary>
/// What the network did, for one host, as this worker saw it: the smoothed round-trip time and its
/// variation (RFC 6298), the probe timeout they gave, from how many answers; probes sent, how many
/// were retransmissions, how many the network was shown to drop (a later try drew an answer; those
/// lost to the worker's own pace are not counted), and how many tries a silent port got in the end.
/// </summary>
public sealed record TimingMessage(
    string Target,
    double SrttMs,
    double RttVarMs,
    int TimeoutMs,
    int RttSamples,
    int Probes,
    int Retries,
    int Drops,
    int Tries) : WorkerMessage;

/// <summary>
/// --host-timeout: the sender gives up <paramref name="Target"/>. From a worker: its time with the host
/// is up (or the coordinator said so), it reported every port of the host it had decided, and it
/// will report no other; those are unscanned. From the coordinator, on a worker's stdin: another
/// worker gave the host up first, so stop it here too.
/// </summary>
public sealed record HostTimeoutMessage(string Target) : WorkerMessage;

/// <summary>
/// Version detection's finding for one port (<c>-sV</c>): after its TCP ports (then its UDP ones) are
/// reported, a worker probes each open one and sends this once a port, before <c>done</c>.
/// </summary>
public sealed record ServiceMessage(string Target, string Transport, int Port, Ports.DetectedService Service) : WorkerMessage;

/// <summary>Last line of a worker that scanned its whole slice, or gave up the hosts it did not finish (<see cref="HostTimeoutMessage"/>).</summary>
public sealed record DoneMessage(int Open, int Closed, int Filtered, int OpenFiltered, double ElapsedMs) : WorkerMessage;

/// <summary>A worker that cannot go on says why before exiting non-zero.</summary>
public sealed record ErrorMessage(string Message) : WorkerMessage;

/// <summary>
/// From the coordinator, on a supervised worker's stdin: stop probing, report what is finished and
/// exit, as on SIGTERM. Signals do not cross ssh or srun reliably; the worker's stdin does.
/// </summary>
public sealed record StopMessage : WorkerMessage;

/// <summary>
/// From the coordinator, on a dynamic worker's stdin (<c>--dynamic</c>), in answer to its done: the
/// next chunk to scan, in the hello's work syntax (<c>127.0.0.1 17-24</c>), or the empty string when
/// none is left, which ends the worker (exit code 0).
/// </summary>
public sealed record WorkMessage(string Work) : WorkerMessage;
