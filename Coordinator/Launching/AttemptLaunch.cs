namespace PortScan.Coordinator.Launching;

/// <summary>
/// How an attempt was launched: by which launcher (<c>local</c>, <c>ssh</c>, <c>slurm</c>) and, when
/// the launcher chose, to which host (an ssh destination as given in --hosts). Where the worker
/// really ran (its host name, pid, Slurm node, job and step) is what its hello says.
/// </summary>
public sealed record AttemptLaunch(string Launcher, string? Host)
{
    /// <summary>For the log line of a start: nothing on this machine, else " (ssh to node2)" or " (slurm)".</summary>
    public string Described => Launcher == "local" ? "" : Host is { } host ? $" ({Launcher} to {host})" : $" ({Launcher})";
}
