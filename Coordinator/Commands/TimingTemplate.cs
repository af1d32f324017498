using System.Globalization;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// nmap's timing templates, <c>-T0</c> to <c>-T5</c>: the defaults of the timing options, which
/// options given explicitly override. The values are nmap's (nmap.cc, the <c>case 'T'</c> of its
/// option parsing; T3's are its built-in defaults, nmap.h's <c>MIN_RTT_TIMEOUT</c>,
/// <c>INITIAL_RTT_TIMEOUT</c>, <c>MAX_RTT_TIMEOUT</c> and <c>MAX_RETRANSMISSIONS</c>).
/// <para>
/// portscan has no <c>--scan-delay</c>: nmap's delay between probes in T0–T2 becomes a scan-wide
/// <c>--max-rate</c> of one probe per delay, with one probe in flight a worker (nmap's
/// <c>max_parallelism 1</c>). T4's and T5's cap on nmap's own send delay has no counterpart here;
/// T5's 15-minute host timeout is <c>--host-timeout</c>'s default under it.
/// </para>
/// </summary>
/// <param name="Concurrency">Probes in flight a worker; null leaves the default (from the open-file limit).</param>
/// <param name="MaxRate">Probes a second across the scan; null for no limit.</param>
/// <param name="HostTimeoutMs">nmap's host timeout; 0 for none.</param>
public sealed record TimingTemplate(
    int Level,
    string Name,
    int MinRttTimeoutMs,
    int InitialRttTimeoutMs,
    int MaxRttTimeoutMs,
    int MaxRetries,
    int? Concurrency = null,
    double? MaxRate = null,
    int HostTimeoutMs = 0)
{
    /// <summary>nmap's MAX_RTT_TIMEOUT: the longest a probe waits by default.</summary>
    private const int DefaultMaxRttTimeoutMs = 10_000;

    private const int Min = ProbeSettings.DefaultMinRttTimeoutMs;
    private const int Retries = ProbeSettings.DefaultMaxRetries;

    public static readonly IReadOnlyList<TimingTemplate> All =
    [
        // nmap sets the initial RTT timeout (5 min, 15 s), which lifts the maximum with it; scan delay 5 min, 15 s.
        new(0, "paranoid", Min, 300_000, 300_000, Retries, Concurrency: 1, MaxRate: 1 / 300.0),
        new(1, "sneaky", Min, 15_000, 15_000, Retries, Concurrency: 1, MaxRate: 1 / 15.0),
        // Scan delay 400 ms; the timeouts are T3's.
        new(2, "polite", Min, ProbeSettings.DefaultInitialRttTimeoutMs, DefaultMaxRttTimeoutMs, Retries, Concurrency: 1, MaxRate: 1 / 0.4),
        new(3, "normal", Min, ProbeSettings.DefaultInitialRttTimeoutMs, DefaultMaxRttTimeoutMs, Retries),
        new(4, "aggressive", Min, 500, 1250, 6),
        new(5, "insane", 50, 250, 300, 2, HostTimeoutMs: 15 * 60_000),
    ];

    /// <summary>nmap's default, and portscan's when no -T is given.</summary>
    public static TimingTemplate Normal => All[3];

    /// <summary>What -T accepts: a level, 0 to 5, or its name in any case, as nmap does.</summary>
    public static string Accepted => $"0-5 or {string.Join(", ", All.Select(t => t.Name))}";

    public static bool TryParse(string text, out TimingTemplate template)
    {
        var found = All.FirstOrDefault(t =>
            text == t.Level.ToString(CultureInfo.InvariantCulture) || text.Equals(t.Name, StringComparison.OrdinalIgnoreCase));
        template = found ?? Normal;
        return found is not null;
    }
}
