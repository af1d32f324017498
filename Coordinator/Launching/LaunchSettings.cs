using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;

namespace PortScan.Coordinator.Launching;

/// <summary>Where workers run: <c>--launch local|ssh|slurm</c>.</summary>
public enum LaunchKind
{
    Local,
    Ssh,
    Slurm,
}

/// <summary>
/// --launch and the options that go with it, checked (docs/scale-out.md): what <c>scan</c> and
/// <c>plan</c> turn into the <see cref="IWorkerLauncher"/> of the scan.
/// </summary>
/// <param name="Hosts">--hosts: ssh destinations, in order (slice i goes to host i mod H).</param>
/// <param name="SshArgs">--ssh-args, split into words as a shell would.</param>
/// <param name="SlurmArgs">--slurm-args, split into words as a shell would.</param>
/// <param name="RemoteWorker">--remote-worker: the worker's path on the other machines; null for this machine's.</param>
public sealed record LaunchSettings(
    LaunchKind Kind,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> SshArgs,
    IReadOnlyList<string> SlurmArgs,
    string? RemoteWorker)
{
    public static LaunchSettings Local { get; } = new(LaunchKind.Local, [], [], [], null);

    /// <summary>
    /// The launcher, its programs found on PATH as a shell would find them. Through Slurm the
    /// cluster's CPUs are asked of sinfo; when it cannot tell, the scan takes one, says why, and
    /// -w is the way to say more.
    /// </summary>
    /// <param name="worker">This machine's worker: run here, and by default the path on the other machines too.</param>
    /// <param name="spare">A worker started before the command line was parsed, for a local scan's first worker.</param>
    public async Task<IWorkerLauncher> CreateAsync(WorkerCommand worker, ILogger logger, SpareWorker? spare, CancellationToken cancellationToken)
    {
        var remoteWorker = RemoteWorker is { } path ? new WorkerCommand(path, []) : worker;
        switch (Kind)
        {
            case LaunchKind.Ssh:
                return new SshLauncher(Program("ssh"), SshArgs, Hosts, remoteWorker, logger);
            case LaunchKind.Slurm:
                var srun = Program("srun");
                var (cpus, problem) = await SlurmLauncher.CountCpusAsync(Path.Combine(Path.GetDirectoryName(srun)!, "sinfo"), cancellationToken).ConfigureAwait(false);
                if (cpus is null)
                {
                    logger.LogWarning("--launch slurm: the cluster's CPUs are unknown, so the scan takes one (give -w for more): {Problem}", problem);
                }
                return new SlurmLauncher(srun, SlurmArgs, cpus ?? 1, remoteWorker, logger);
            default:
                return new LocalLauncher(worker, logger, spare);
        }
    }

    /// <summary>A program's full path from PATH; its absence is the user's to fix (exit code 2).</summary>
    private string Program(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists)
        ?? throw new UsageException($"--launch {Kind.ToString().ToLowerInvariant()} needs {name}, and there is none on PATH");
}
