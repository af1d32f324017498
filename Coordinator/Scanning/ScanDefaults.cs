using PortScan.Shared.Platform;

namespace PortScan.Coordinator.Scanning;

/// <summary>The defaults of <c>portscan scan</c>, and why (docs/benchmarks.md has the measurements).</summary>
public static class ScanDefaults
{
    /// <summary>
    /// Two workers a core. On a reachable host a scan is CPU-bound in the kernel's connect path;
    /// with one worker a core, a core sits idle whenever the coordinator or a starting worker
    /// holds it. Measured on 2 cores, full range, private loopback: 2 workers 0.67 s, 3 or 4
    /// workers 0.55 s (docs/benchmarks.md). Against filtered ports more workers also mean more
    /// connects in flight, since each process has its own open-file limit.
    /// </summary>
    public static int Workers => 2 * Environment.ProcessorCount;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>The most connects in flight we ask of one worker, whatever its open-file limit.</summary>
    public const int MaxConcurrency = 8192;

    /// <summary>
    /// Connects in flight per worker: as many as the open-file hard limit allows (each holds a
    /// descriptor; the worker raises its soft limit to the hard one), up to <see cref="MaxConcurrency"/>.
    /// </summary>
    public static int Concurrency => Math.Clamp(FileDescriptorLimit.Hard - FileDescriptorLimit.Reserve, 1, MaxConcurrency);

    /// <summary>More processes than this is a mistake, not a plan.</summary>
    public const int MaxWorkers = 1024;
}
