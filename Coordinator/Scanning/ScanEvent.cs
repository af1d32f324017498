using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// What the coordinator's loop reacts to. Launchers, the watchdog clock and the stop request all
/// write to one channel with one reader, so every decision about a scan is made on one thread.
/// </summary>
public abstract record ScanEvent;

// Events name the process; the loop takes what it says as about the attempt the process is on (its Current).
public sealed record WorkerStarted(WorkerRun Run) : ScanEvent;

public sealed record WorkerMessageReceived(WorkerRun Run, WorkerMessage Message) : ScanEvent;

/// <summary>A stdout line that is not a protocol message: the worker cannot be trusted, but the coordinator goes on.</summary>
public sealed record WorkerBadLine(WorkerRun Run, string Line, string Error) : ScanEvent;

/// <summary>The worker process is gone (or never started: <paramref name="StartError"/> says why).</summary>
public sealed record WorkerExited(WorkerRun Run, string? StartError) : ScanEvent;

/// <summary>A clock tick: time for the watchdog to look for silent workers.</summary>
public sealed record WatchdogTick : ScanEvent;

/// <summary>Ctrl-C or SIGTERM: stop every worker, keep what they finished.</summary>
public sealed record StopRequested : ScanEvent;
