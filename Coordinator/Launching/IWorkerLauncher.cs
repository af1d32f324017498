using System.Threading.Channels;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// How a worker is started, stopped and killed: the one seam between the scan loop and wherever
/// workers run (this machine, ssh destinations, Slurm job steps). The loop decides when to start,
/// stop, distrust and replace; the launcher knows how. Whatever carries them, the protocol's lines
/// go to the worker's stdin and come from its stdout, so stopping is a <c>stop</c> line everywhere.
/// </summary>
public interface IWorkerLauncher
{
    /// <summary><c>local</c>, <c>ssh</c> or <c>slurm</c>: the reports' <c>launch.launcher</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The CPUs the workers share, as far as the launcher can know: the default number of workers,
    /// and how crowded the watchdog takes them to be.
    /// </summary>
    int Cpus { get; }

    /// <summary>What starting a worker costs beyond starting it here (a connection, a job step): added to the watchdog's start-up limit.</summary>
    TimeSpan StartupAllowance { get; }

    /// <summary>How slices are placed, in a sentence for <c>plan</c>.</summary>
    string Placement { get; }

    /// <summary>Where attempt <paramref name="attempt"/> (1 for the first) of slice <paramref name="slice"/> is sent; null when a scheduler chooses.</summary>
    string? HostFor(int slice, int attempt);

    /// <summary>
    /// Runs the process of an attempt (its <see cref="WorkerAttempt.Run"/>, which under the dynamic schedule
    /// goes on to later chunks) to its end: records where it runs, attaches its <see cref="IRunningWorker"/>,
    /// then writes <see cref="WorkerStarted"/>, every line it says, and <see cref="WorkerExited"/>.
    /// </summary>
    /// <param name="arguments">The worker's own arguments, built by the caller, so a mistake in them surfaces in the scan loop and not in a task nobody awaits yet.</param>
    Task RunAsync(WorkerAttempt attempt, IReadOnlyList<string> arguments, ChannelWriter<ScanEvent> events);
}
