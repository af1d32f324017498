using System.Collections;
using System.Diagnostics;
using PortScan.Coordinator.Launching;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// One worker's go at one slice: the first attempt is given the whole slice; a replacement is
/// given only the host-ports the attempts before it left unfinished. It runs in a
/// <see cref="WorkerRun"/> (a process) of its own, or under the dynamic schedule in the process
/// that finished the chunk before it.
/// </summary>
/// <param name="covers">Which of the slice's positions <paramref name="work"/> holds, for checking each result in O(1).</param>
public sealed class WorkerAttempt
{
    private readonly HashSet<int> _gaveUp = [];
    private readonly long _begun = Stopwatch.GetTimestamp();

    /// <param name="worker">The worker's number, for a new process; ignored when <paramref name="continuing"/> gives the process.</param>
    /// <param name="continuing">The process that goes on to this attempt (the dynamic schedule's next chunk); null to start one.</param>
    public WorkerAttempt(SliceTracker slice, int number, WorkSet work, BitArray covers, int worker, WorkerRun? continuing = null)
    {
        Slice = slice;
        Number = number;
        Work = work;
        Covers = covers;
        Run = continuing ?? new WorkerRun(worker, this);
    }

    public SliceTracker Slice { get; }

    /// <summary>1 for the first worker of a slice, 2 for its first replacement, and so on.</summary>
    public int Number { get; }

    /// <summary>The host-ports this attempt was asked to scan; it may report no other.</summary>
    public WorkSet Work { get; }

    /// <summary><see cref="Work"/> as a bit a position of the slice.</summary>
    public BitArray Covers { get; }

    /// <summary>The process it runs in.</summary>
    public WorkerRun Run { get; }

    /// <summary>The worker's number: the slice's under block and cyclic, the process's lane under dynamic.</summary>
    public int WorkerId => Run.Worker;

    public int? Pid => Run.Pid;

    /// <summary>The process's exit code, when this was the attempt it ended on; null while it runs, and for a chunk it finished before going on.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>From its start (its process's, or being handed its chunk) to its end (its process's exit, or its done when it went on).</summary>
    public TimeSpan Elapsed { get; private set; }

    public bool Exited { get; private set; }

    public AttemptLaunch? Launch => Run.Launch;

    public HelloMessage? Hello
    {
        get => Run.Hello;
        set => Run.Hello = value;
    }

    /// <summary>Set by the hello message: a worker that has not said hello may not report ports.</summary>
    public bool Greeted
    {
        get => Run.GreetedAt is not null;
        set => Run.GreetedAt = value ? Run.GreetedAt ?? Stopwatch.GetTimestamp() : null;
    }

    public long? GreetedAt => Run.GreetedAt;

    /// <summary>Set by the done message: the worker says it has reported every port it was given.</summary>
    public bool Done { get; set; }

    public long LastHeard => Run.LastHeard;

    /// <summary>
    /// Why this attempt failed, in words for the user: the worker's own error message, the exit,
    /// the watchdog, or a protocol violation. Null while it is running or when it succeeded.
    /// </summary>
    public string? Failure { get; private set; }

    /// <summary>The attempt broke the protocol: whatever it says from now on is ignored.</summary>
    public bool Untrusted { get; private set; }

    /// <summary>True when this attempt gave host <paramref name="host"/> up (--host-timeout): it may report none of its ports from then on.</summary>
    public bool GaveUp(int host) => _gaveUp.Count > 0 && _gaveUp.Contains(host);

    /// <summary>Records that the worker gave a host up; false when it had already.</summary>
    public bool GiveUp(int host) => _gaveUp.Add(host);

    /// <summary>The worker's latest estimate of the time its work still needs, and when it came (a <see cref="Stopwatch"/> timestamp); null until it gives one.</summary>
    public (TimeSpan Remaining, long At)? Estimate { get; private set; }

    public void Estimated(TimeSpan? remaining) => Estimate = remaining is { } left ? (left, Stopwatch.GetTimestamp()) : null;

    /// <summary>Keeps the first reason: later ones are consequences (a killed worker also exits non-zero).</summary>
    public void Fail(string reason) => Failure ??= reason;

    public void Distrust(string reason)
    {
        Fail(reason);
        Untrusted = true;
    }

    /// <summary>Its process has exited while this was the attempt it was on: the launcher's word on it becomes this attempt's.</summary>
    public void Ended()
    {
        if (Run.LaunchFailure is { } failure)
        {
            Fail(failure);
        }
        ExitCode = Run.ExitCode;
        End();
    }

    /// <summary>Done, and its process goes on to <paramref name="next"/>.</summary>
    public void HandOn(WorkerAttempt next)
    {
        Run.Current = next;
        End();
    }

    private void End()
    {
        Elapsed = Stopwatch.GetElapsedTime(_begun);
        Exited = true;
    }

    /// <summary>Writes one protocol line to its process's stdin (a timing hint, a host timeout, stop, a chunk).</summary>
    public void Tell(WorkerMessage message) => Run.Tell(message);

    /// <summary>
    /// Asks the worker to stop and report what it finished: the protocol's stop line, which reaches
    /// it through ssh and srun as well, where a signal to the local process would not.
    /// </summary>
    public void Stop() => Tell(new StopMessage());

    /// <summary>Stops the worker at once.</summary>
    public void Kill() => Run.Kill();
}
