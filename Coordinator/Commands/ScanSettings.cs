using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Commands;

/// <summary>What the user asked <c>portscan scan</c> for, validated, before any target is resolved.</summary>
/// <param name="Targets">Target specifications from the command line (names, literals, CIDR blocks, ranges).</param>
/// <param name="Family">nmap's -4 or -6: the one address family to scan, or null for both (names prefer IPv4).</param>
/// <param name="InputList">nmap's -iL: a file of targets, "-" for stdin.</param>
/// <param name="Excludes">Target specifications to leave out (--exclude and --excludefile).</param>
/// <param name="Workers">-w; null for the launcher's default.</param>
/// <param name="Schedule">--schedule: how the ports are dealt to the workers.</param>
/// <param name="Launch">Where workers run: --launch and its options.</param>
/// <param name="WorkerPath">A stand-in for portscan-worker (hidden option, for tests of misbehaving workers); null for the real one.</param>
/// <param name="Format">What stdout carries when no report file is asked for.</param>
/// <param name="Files">Reports to write to files (-o, -oN, -oX, -oG, -oA), each atomically.</param>
/// <param name="Shown">Which ports the reports list: nmap's default, every one (--show-closed), or only those that are or may be open (--open).</param>
/// <param name="Reason">--reason: the text report's REASON column.</param>
/// <param name="Probes">How workers probe: timeouts, retries, concurrency, banners, and the scan-wide --max-rate.</param>
/// <param name="Version">-sV: version detection's intensity and database; null for none.</param>
/// <param name="MaxWorkerRestarts">Replacement workers a slice may have after its first worker fails (--max-worker-restarts).</param>
/// <param name="Verbosity">The least a log line must be to reach stderr: Warning by default, Information with -v, Debug with -vv, Trace with -d.</param>
/// <param name="StatsEvery">--stats-every: how often to print nmap's status lines on stderr; null for never.</param>
/// <param name="CommandLine">The command as typed, for the reports that quote it as nmap does.</param>
/// <param name="Journal">--journal: where to keep the journal; null for beside the first report file (none without one).</param>
/// <param name="Arguments">The words given to <c>scan</c>, as typed: what a journal records, and <c>resume</c> parses again.</param>
public sealed record ScanSettings(
    IReadOnlyList<string> Targets,
    AddressFamily? Family,
    string? InputList,
    IReadOnlyList<string> Excludes,
    string? ExcludeFile,
    PortSelection Ports,
    int? Workers,
    Schedule Schedule,
    ProbeSettings Probes,
    VersionDetection? Version,
    int MaxWorkerRestarts,
    LaunchSettings Launch,
    string? WorkerPath,
    ReportFormat Format,
    IReadOnlyList<(ReportFormat Format, string Path)> Files,
    ShownPorts Shown,
    bool Reason,
    LogLevel Verbosity,
    bool NoProgress,
    TimeSpan? StatsEvery,
    string CommandLine,
    string? Journal,
    IReadOnlyList<string> Arguments,

    PortSet? Discovery = null,
    bool PingSweep = false);
