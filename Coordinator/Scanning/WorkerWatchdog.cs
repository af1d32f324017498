using System.Diagnostics;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// How long a worker may stay silent before it counts as hung (docs/reliability.md).
/// <para>
/// A healthy worker writes at least once a second: results, or a heartbeat from its scan loop
/// when all its connects are waiting. The probe timeout therefore does not enter the limit; if it
/// did, a scan with a 30 s timeout would take over 30 s to notice a hung worker (and -T0's 5-minute
/// timeouts and pace would make it useless). What can delay a
/// healthy worker's next line is one pass of its loop: starting (and later closing) a whole
/// window of <c>concurrency</c> connects, slower when more workers than cores share the CPU.
/// Start-up is allowed longer: every worker starts a .NET runtime at the same moment, and through
/// ssh or srun a connection or a job step comes first (the launcher's allowance).
/// </para>
/// </summary>
/// <param name="cpus">The CPUs the workers share (<see cref="Launching.IWorkerLauncher.Cpus"/>): this machine's cores, one a ssh host, the Slurm cluster's.</param>
/// <param name="startupAllowance">What the launcher adds to a worker's start (<see cref="Launching.IWorkerLauncher.StartupAllowance"/>).</param>
public sealed class WorkerWatchdog(int workers, int concurrency, int cpus, TimeSpan startupAllowance)
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    // Measured 5-20 µs to start or close one connect here; 50 µs leaves room for a loaded machine.
    private static readonly TimeSpan PerConnect = TimeSpan.FromMicroseconds(50);

    // Measured 45-70 ms of CPU for a worker to start and say hello; 100 ms a worker per core leaves room.
    private static readonly TimeSpan PerStart = TimeSpan.FromMilliseconds(100);

    private readonly int _workersPerCore = Math.Max(1, (int)Math.Ceiling(workers / (double)Math.Max(1, cpus)));

    /// <summary>Longest silence allowed between two lines of a worker that has said hello.</summary>
    public TimeSpan SilenceLimit => Heartbeat + Slack + PerConnect * concurrency * _workersPerCore;

    /// <summary>Longest wait allowed for a worker's first line.</summary>
    public TimeSpan StartupLimit => SilenceLimit + PerStart * _workersPerCore * 2 + startupAllowance;

    public bool IsHung(WorkerAttempt attempt) =>
        !attempt.Exited && attempt.Pid is not null
        && Stopwatch.GetElapsedTime(attempt.LastHeard) > (attempt.Greeted ? SilenceLimit : StartupLimit);
}
