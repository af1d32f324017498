using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>What a worker launcher tells the coordinator. All events flow through one channel, read by one loop.</summary>
public abstract record WorkerEvent(int Worker);

public sealed record WorkerStarted(int Worker, int Pid) : WorkerEvent(Worker);

public sealed record WorkerMessageReceived(int Worker, WorkerMessage Message) : WorkerEvent(Worker);

/// <summary>A stdout line that is not a protocol message; never fatal to the coordinator.</summary>
public sealed record WorkerBadLine(int Worker, string Line, string Error) : WorkerEvent(Worker);

/// <summary>The worker process is gone (or never started: <paramref name="StartError"/> says why).</summary>
public sealed record WorkerExited(int Worker, int? ExitCode, TimeSpan Elapsed, string? StartError) : WorkerEvent(Worker);
