using System.Diagnostics;
using PortScan.Coordinator.Launching;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// One worker process, wherever its launcher runs it: what is the process's rather than its work's.
/// Under the block and cyclic schedules a process does one attempt at one slice; under the dynamic
/// schedule it goes on from chunk to chunk, an attempt each, and <see cref="Current"/> is the one its
/// lines are about. The launcher writes the process's facts from its own thread; the scan loop reads them.
/// </summary>
/// <param name="worker">The worker's number (<c>--worker-id</c>): its slice's, or its lane's under the dynamic schedule.</param>
public sealed class WorkerRun(int worker, WorkerAttempt first)
{
    private readonly Lock _lock = new();
    private IRunningWorker? _process;
    private readonly Dictionary<int, TimingFigures> _timings = [];
    private readonly long _begun = Stopwatch.GetTimestamp();

    public int Worker { get; } = worker;

    /// <summary>The attempt its lines are about: its first, or the chunk it was given last. Set by the scan loop alone.</summary>
    public WorkerAttempt Current { get; set; } = first;

    /// <summary>The process started on this machine: the worker, or the ssh or srun that carries it (the worker's own is in <see cref="Hello"/>).</summary>
    public int? Pid { get; private set; }

    /// <summary>How it was launched, and where to; null until its launcher starts it.</summary>
    public AttemptLaunch? Launch { get; private set; }

    /// <summary>Its hello, once accepted: among other things where it runs (host name, pid, Slurm node, job and step).</summary>
    public HelloMessage? Hello { get; set; }

    /// <summary>When the hello came (a <see cref="Stopwatch"/> timestamp): process start-up ends here, for the teaching timeline.</summary>
    public long? GreetedAt { get; set; }

    /// <summary>When the coordinator last heard from it (a <see cref="Stopwatch"/> timestamp); the watchdog reads this.</summary>
    public long LastHeard { get; private set; } = Stopwatch.GetTimestamp();

    /// <summary>Set when the process has exited (or never started), with its code when it has one.</summary>
    public bool Exited { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>From its launch to its exit; so far, while it runs.</summary>
    public TimeSpan Elapsed => _elapsed ?? Stopwatch.GetElapsedTime(_begun);

    private TimeSpan? _elapsed;

    /// <summary>Why the process ended badly, as its launcher saw it (a linger after its stdout closed, ssh's or srun's own failure).</summary>
    public string? LaunchFailure { get; private set; }

    /// <summary>
    /// What the network did to each host it scanned (by index in the scan's hosts), as it last said.
    /// A process's figures run on over its chunks, so they are kept here, once a process, and not added up a chunk at a time.
    /// </summary>
    public IReadOnlyDictionary<int, TimingFigures> Timings => _timings;

    public void Heard() => LastHeard = Stopwatch.GetTimestamp();

    /// <summary>A worker may say it more than once for a host; its latest word counts.</summary>
    public void RecordTiming(int host, TimingMessage timing) => _timings[host] = TimingFigures.Of(timing);

    /// <summary>Recorded by the launcher before it starts the worker.</summary>
    public void Placed(AttemptLaunch launch) => Launch = launch;

    public void Attach(IRunningWorker process)
    {
        lock (_lock)
        {
            _process = process;
            Pid = process.Pid;
            Heard();
        }
    }

    /// <summary>Keeps the first reason: later ones are consequences.</summary>
    public void Fail(string reason) => LaunchFailure ??= reason;

    public void Finish(int? exitCode)
    {
        lock (_lock)
        {
            _process = null;
            ExitCode = exitCode;
            _elapsed = Stopwatch.GetElapsedTime(_begun);
            Exited = true;
        }
    }

    /// <summary>
    /// Writes one protocol line to the worker's stdin. A worker that has exited, or closed its end,
    /// simply does not get it: hints only ever save time, a worker that cannot hear stop is killed
    /// when the grace runs out, and one that cannot hear its next chunk leaves it to a replacement.
    /// </summary>
    public void Tell(WorkerMessage message)
    {
        lock (_lock)
        {
            _process?.TryWrite(ProtocolCodec.Serialize(message));
        }
    }

    /// <summary>Stops the worker at once.</summary>
    public void Kill()
    {
        lock (_lock)
        {
            _process?.Kill();
        }
    }
}
