using System.Collections;
using System.Diagnostics;
using PortScan.Coordinator.Launching;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// One worker run for one slice, wherever its launcher runs it. The first attempt is given the whole slice; a
/// replacement is given only the host-ports the attempts before it left unfinished.
/// </summary>
/// <param name="covers">Which of the slice's positions <paramref name="work"/> holds, for checking each result in O(1).</param>
public sealed class WorkerAttempt(SliceTracker slice, int number, WorkSet work, BitArray covers)
{
    private readonly Lock _workerLock = new();
    private readonly Dictionary<int, TimingMessage> _timings = [];
    private readonly HashSet<int> _gaveUp = [];
    private IRunningWorker? _worker;

    public SliceTracker Slice { get; } = slice;

    /// <summary>1 for the first worker of a slice, 2 for its first replacement, and so on.</summary>
    public int Number { get; } = number;

    /// <summary>The host-ports this attempt was asked to scan; it may report no other.</summary>
    public WorkSet Work { get; } = work;

    /// <summary><see cref="Work"/> as a bit a position of the slice.</summary>
    public BitArray Covers { get; } = covers;

    /// <summary>The process started on this machine: the worker, or the ssh or srun that carries it (the worker's own is in <see cref="Hello"/>).</summary>
    public int? Pid { get; private set; }
    public int? ExitCode { get; private set; }
    public TimeSpan Elapsed { get; private set; }
    public bool Exited { get; private set; }

    /// <summary>How it was launched, and where to; null until its launcher starts it.</summary>
    public AttemptLaunch? Launch { get; private set; }

    /// <summary>Its hello, once accepted: among other things where it runs (host name, pid, Slurm node, job and step).</summary>
    public HelloMessage? Hello { get; set; }

    /// <summary>Set by the hello message: a worker that has not said hello may not report ports.</summary>
    public bool Greeted
    {
        get => GreetedAt is not null;
        set => GreetedAt = value ? GreetedAt ?? Stopwatch.GetTimestamp() : null;
    }

    /// <summary>When the hello came (a <see cref="Stopwatch"/> timestamp): process start-up ends here, for the teaching timeline.</summary>
    public long? GreetedAt { get; private set; }

    /// <summary>Set by the done message: the worker says it has reported every port it was given.</summary>
    public bool Done { get; set; }

    /// <summary>When the coordinator last heard from it (a <see cref="Stopwatch"/> timestamp); the watchdog reads this.</summary>
    public long LastHeard { get; private set; } = Stopwatch.GetTimestamp();

    /// <summary>
    /// Why this attempt failed, in words for the user: the worker's own error message, the exit,
    /// the watchdog, or a protocol violation. Null while it is running or when it succeeded.
    /// </summary>
    public string? Failure { get; private set; }

    /// <summary>The attempt broke the protocol: whatever it says from now on is ignored.</summary>
    public bool Untrusted { get; private set; }

    /// <summary>What the network did to each host it scanned (by index in the scan's hosts), as it last said.</summary>
    public IReadOnlyDictionary<int, TimingMessage> Timings => _timings;

    public void Heard() => LastHeard = Stopwatch.GetTimestamp();

    /// <summary>True when this attempt gave host <paramref name="host"/> up (--host-timeout): it may report none of its ports from then on.</summary>
    public bool GaveUp(int host) => _gaveUp.Count > 0 && _gaveUp.Contains(host);

    /// <summary>Records that the worker gave a host up; false when it had already.</summary>
    public bool GiveUp(int host) => _gaveUp.Add(host);

    /// <summary>The worker's latest estimate of the time its work still needs, and when it came (a <see cref="Stopwatch"/> timestamp); null until it gives one.</summary>
    public (TimeSpan Remaining, long At)? Estimate { get; private set; }

    public void Estimated(TimeSpan? remaining) => Estimate = remaining is { } left ? (left, Stopwatch.GetTimestamp()) : null;

    /// <summary>A worker may say it more than once for a host; its latest word counts.</summary>
    public void RecordTiming(int host, TimingMessage timing) => _timings[host] = timing;

    /// <summary>Keeps the first reason: later ones are consequences (a killed worker also exits non-zero).</summary>
    public void Fail(string reason) => Failure ??= reason;

    public void Distrust(string reason)
    {
        Fail(reason);
        Untrusted = true;
    }

    /// <summary>Recorded by the launcher before it starts the worker.</summary>
    public void Placed(AttemptLaunch launch) => Launch = launch;

    public void Attach(IRunningWorker worker)
    {
        lock (_workerLock)
        {
            _worker = worker;
            Pid = worker.Pid;
            Heard();
        }
    }

    public void Finish(int? exitCode, TimeSpan elapsed)
    {
        lock (_workerLock)
        {
            _worker = null;
            ExitCode = exitCode;
            Elapsed = elapsed;
            Exited = true;
        }
    }

    /// <summary>
    /// Writes one protocol line to the worker's stdin (a timing hint, a host timeout, stop). A
    /// worker that has exited, or closed its end, simply does not get it: hints only ever save time,
    /// and a worker that cannot hear stop is killed when the grace runs out.
    /// </summary>
    public void Tell(WorkerMessage message)
    {
        lock (_workerLock)
        {
            _worker?.TryWrite(ProtocolCodec.Serialize(message));
        }
    }

    /// <summary>
    /// Asks the worker to stop and report what it finished: the protocol's stop line, which reaches
    /// it through ssh and srun as well, where a signal to the local process would not.
    /// </summary>
    public void Stop() => Tell(new StopMessage());

    /// <summary>Stops the worker at once.</summary>
    public void Kill()
    {
        lock (_workerLock)
        {
            _worker?.Kill();
        }
    }
}
