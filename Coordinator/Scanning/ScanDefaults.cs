using PortScan.Shared.Platform;

namespace PortScan.Coordinator.Scanning;

/// <summary>The defaults of <c>portscan scan</c>, and why (docs/benchmarks.md has the measurements).</summary>
public static class ScanDefaults
{
    /// <summary>
    /// One worker a core. On a reachable host a scan is CPU-bound in the kernel's connect path,
    /// and every extra process costs about 50 ms of CPU to start. Measured on 2 cores, full range,
    /// private loopback: 2 workers 0.475 s, 3 workers 0.51 s, 4 workers 0.54 s (docs/benchmarks.md).
    /// </summary>
    public static int Workers => Environment.ProcessorCount;

    /// <summary>
    /// The most connects in flight we ask of one worker, whatever its open-file limit. Against
    /// filtered ports throughput is in-flight connects / timeout: 65,535 ports with 40,000 filtered
    /// at 1 s took 4.3 s with 2 x 8,192 in flight and 2.4 s with 2 x 16,384.
    /// </summary>
    public const int MaxConcurrency = 16384;
    /// <summary>
    /// Connects in flight per worker: as many as the open-file hard limit allows (each holds a
    /// descriptor; the worker raises its soft limit to the hard one), up to <see cref="MaxConcurrency"/>.
    /// </summary>
    public static int Concurrency => Math.Clamp(FileDescriptorLimit.Hard - FileDescriptorLimit.Reserve, 1, MaxConcurrency);

    /// <summary>
    /// Replacement worker processes a slice may have (--max-worker-restarts). Two, because a worker killed by accident or by a
    /// passing resource shortage is usually fine the second time, and a third failure says the
    /// cause is not passing: better to report the ports unscanned than to loop.
    /// </summary>
    public const int MaxWorkerRestarts = 2;

    /// <summary>
    /// How long --banners waits for a service to speak first: SSH, SMTP and FTP greet within
    /// milliseconds; a service that waits for the client (HTTP) costs this much, once, in parallel.
    /// </summary>
    public static readonly TimeSpan BannerWait = TimeSpan.FromSeconds(1);

    /// <summary>More processes than this is a mistake, not a plan.</summary>
    public const int MaxWorkers = 1024;
}
