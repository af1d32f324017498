using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// <c>--launch slurm</c>: each attempt is its own job step, <c>srun -n1 --immediate=10 -J
/// portscan-wK [--slurm-args] -- WORKER ARG…</c>, one task whose stdin and stdout srun forwards (it
/// streams a line as the worker writes it). A replacement is another srun, so Slurm may place it on
/// another node. srun finds its cluster as it always does (<c>SLURM_CONF</c>, inherited).
/// <para>
/// srun passes the task's exit code through (3 stays 3, SIGKILL is 137, <c>scancel</c> 143), but
/// also exits non-zero itself when it cannot run the step; a step that never wrote a line is
/// therefore srun's failure, named with what srun said. No exit code is ever a port's state: ports
/// come only from protocol lines.
/// </para>
/// </summary>
/// <param name="srun">The srun program, as found on PATH.</param>
/// <param name="slurmArgs">--slurm-args: after the launcher's own options, before <c>--</c>.</param>
/// <param name="cpus">The cluster's CPUs (<see cref="CountCpus"/>).</param>
/// <param name="remoteWorker">The worker on the nodes (--remote-worker, or this machine's path: nodes usually share it).</param>
public sealed class SlurmLauncher(string srun, IReadOnlyList<string> slurmArgs, int cpus, WorkerCommand remoteWorker, ILogger logger)
    : ProcessLauncher(logger)
{
    /// <summary>
    /// How long srun waits for a CPU before it gives up (<c>--immediate</c>): a scan is interactive, and
    /// a step that cannot start now is a failed attempt to replace, not a job to queue. Without it a
    /// busy cluster (or more steps than CPUs without <c>--overcommit</c>) keeps srun waiting forever.
    /// </summary>
    public static readonly TimeSpan Immediate = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SinfoLimit = TimeSpan.FromSeconds(10);

    public override string Name => "slurm";

    public override int Cpus => cpus;

    /// <summary>srun's wait for resources, then a step's start (1.1 s measured on a cold test cluster): srun gives up before the watchdog does.</summary>
    public override TimeSpan StartupAllowance => Immediate + TimeSpan.FromSeconds(5);

    public override string Placement =>
        $"Each slice's worker is a Slurm job step of its own (srun -n1 --immediate={Immediate.TotalSeconds:0} -J portscan-wK …), on the node Slurm chooses; a replacement is another srun.";

    protected override IReadOnlyList<string> CommandLine(int worker, string? host, IReadOnlyList<string> arguments) =>
        [.. InSessionOfItsOwn(srun), "-n1", $"--immediate={Immediate.TotalSeconds:0}", "-J", JobName(worker), .. slurmArgs,
            "--", remoteWorker.FileName, .. remoteWorker.LeadingArguments, .. arguments];

    /// <summary>What <c>squeue</c> shows for worker <paramref name="worker"/>'s steps.</summary>
    public static string JobName(int worker) => $"portscan-w{worker}";

    protected override string? OwnFailure(int exitCode, bool spoke, string? host, string? lastError) =>
        !spoke && exitCode != 0 ? WithLastError($"srun did not start the worker (exit code {exitCode})", lastError) : null;

    /// <summary>
    /// The CPUs of the cluster's nodes that are up, allocated or idle: <c>sinfo -h -N -o "%N %C"</c>
    /// prints a line a node and partition, its CPUs as allocated/idle/other/total ("other" is down or
    /// drained); a node in two partitions counts once. Null, and the reason, when sinfo cannot tell
    /// (not installed, no controller within 10 s, output it does not understand).
    /// </summary>
    public static async Task<(int? Cpus, string Problem)> CountCpusAsync(string sinfo, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(sinfo, ["-h", "-N", "-o", "%N %C"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot run {sinfo}: {e.Message}");
        }
        using (process)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(SinfoLimit);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return (null, $"sinfo did not answer within {SinfoLimit.TotalSeconds:0} s");
            }
            var said = await output.ConfigureAwait(false);
            if (process.ExitCode == 0 && TryCountCpus(said) is { } cpus)
            {
                return (cpus, "");
            }
            // sinfo's last line of complaint is its conclusion ("fatal: Could not establish a configuration source").
            var why = (await error.ConfigureAwait(false) + "\n" + said).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return (null, $"sinfo said '{why}' (exit code {process.ExitCode})");
        }
    }

    /// <summary>The usable CPUs in sinfo's <c>%N %C</c> lines (<c>node1 0/2/0/2</c>); null when there are none or a line is not understood.</summary>
    public static int? TryCountCpus(string sinfoOutput)
    {
        var nodes = new Dictionary<string, int>();
        foreach (var line in sinfoOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var counts = words.Length == 2 ? words[1].Split('/') : [];
            if (counts.Length != 4
                || !int.TryParse(counts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var allocated)
                || !int.TryParse(counts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var idle))
            {
                return null;
            }
            nodes[words[0]] = allocated + idle;
        }
        var total = nodes.Values.Sum();
        return total > 0 ? total : null;
    }
}
