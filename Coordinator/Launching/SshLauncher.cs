using Microsoft.Extensions.Logging;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// <c>--launch ssh</c>: each attempt is one OpenSSH connection, <c>ssh -T -o BatchMode=yes
/// [--ssh-args] HOST -- 'WORKER' 'ARG'…</c>, whose stdin and stdout carry the protocol. Slice i's
/// first attempt goes to host i mod H and each replacement to the next host, so an unreachable host
/// costs its slices one failed attempt each.
/// <para>
/// What OpenSSH does, measured (docs/scale-out.md): stdout streams live; the remote exit code comes
/// back, but 255 means ssh itself failed, and a remote worker killed by SIGKILL also shows as 255;
/// killing the local ssh leaves the remote worker running until its stdin closes. So a worker is
/// stopped with the protocol's <c>stop</c> line, and 255 is read as ssh's failure, never the worker's.
/// </para>
/// </summary>
/// <param name="ssh">The ssh program, as found on PATH.</param>
/// <param name="sshArgs">--ssh-args: put before the destination, after the options the launcher always gives.</param>
/// <param name="hosts">--hosts: destinations as ssh takes them (<c>node1</c>, <c>user@198.18.0.11</c>).</param>
/// <param name="remoteWorker">The worker on the remote machines (--remote-worker, or this machine's path).</param>
public sealed class SshLauncher(string ssh, IReadOnlyList<string> sshArgs, IReadOnlyList<string> hosts, WorkerCommand remoteWorker, ILogger logger)
    : ProcessLauncher(logger)
{
    /// <summary>ssh's own failures (no connection, refused, authentication), and a remote process killed by a signal ssh cannot relay.</summary>
    public const int SshFailed = 255;

    public override string Name => "ssh";

    /// <summary>One a host: the default is one worker a host, and the watchdog takes each host to have one core, the least it can have.</summary>
    public override int Cpus => hosts.Count;

    /// <summary>
    /// A connection, key exchange and authentication before the remote runtime starts: a few
    /// hundred ms on a LAN (docs/benchmarks.md), seconds over a slow or loaded link. A host that never
    /// answers is caught here, as a hung worker, and replaced on the next host.
    /// </summary>
    public override TimeSpan StartupAllowance => TimeSpan.FromSeconds(10);

    public override string Placement =>
        $"Each slice's worker runs through ssh, one connection an attempt: slice i on host i mod {hosts.Count}, a replacement on the next host.";

    public override string? HostFor(int slice, int attempt) => hosts[(slice + attempt - 1) % hosts.Count];

    protected override IReadOnlyList<string> CommandLine(int worker, string? host, IReadOnlyList<string> arguments) =>
        [.. InSessionOfItsOwn(ssh), "-T", "-o", "BatchMode=yes", .. sshArgs, host!, "--", RemoteCommand(remoteWorker, arguments)];

    /// <summary>
    /// The one string ssh gives the remote user's shell: <c>exec</c>, so the worker replaces the
    /// shell and its exit code and stdin are the connection's, then every word single-quoted.
    /// </summary>
    public static string RemoteCommand(WorkerCommand worker, IReadOnlyList<string> arguments) =>
        "exec " + ShellWords.Join([worker.FileName, .. worker.LeadingArguments, .. arguments]);

    protected override string? OwnFailure(int exitCode, bool spoke, string? host, string? lastError) =>
        exitCode == SshFailed
            ? spoke
                ? $"the ssh connection to {host} failed or its worker was killed (ssh exit code {SshFailed})"
                : WithLastError($"ssh to {host} failed (exit code {SshFailed})", lastError)
            : !spoke && exitCode != 0 ? WithLastError($"the worker did not start on {host} (exit code {exitCode})", lastError)
            : null;
}
