namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Where a scan stands at one tick of the coordinator's loop: what the progress bar and
/// --stats-every show.
/// </summary>
/// <param name="Finished">Host-ports with a result.</param>
/// <param name="Total">Host-ports asked for.</param>
/// <param name="Eta">The time the scan still needs (<see cref="ScanEta"/>); null when no slice can tell yet.</param>
/// <param name="HostsCompleted">Hosts with every port finished.</param>
/// <param name="HostsUp">Hosts where some port answered, open or closed (the reports' "Host is up").</param>
/// <param name="Udp">True when every TCP port is finished and UDP ports are left: the scan is in its UDP phase.</param>
public sealed record ScanProgress(TimeSpan Elapsed, long Finished, long Total, TimeSpan? Eta, int Hosts, int HostsCompleted, int HostsUp, bool Udp)
{
    public double Fraction => Total == 0 ? 1 : (double)Finished / Total;

    /// <summary>Host-ports finished a second so far.</summary>
    public double Rate => Elapsed > TimeSpan.Zero ? Finished / Elapsed.TotalSeconds : 0;
}
