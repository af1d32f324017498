using PortScan.Coordinator.Cli;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Output;

/// <summary>A scan's timing in words, for the text report's header and the teaching commands.</summary>
public static class TimingDescription
{
    /// <summary><c>timeout 100 ms–10 s adaptive, up to 10 retries</c>, or the article's <c>fixed timeout 1 s, no retries</c>.</summary>
    public static string Of(ProbeSettings probes)
    {
        var retries = probes.MaxRetries switch
        {
            0 => "no retries",
            1 => "up to 1 retry",
            var n => $"up to {n} retries",
        };
        return probes.IsFixed
            ? $"fixed timeout {Durations.Format(probes.TimeoutMs)}, {retries}"
            : $"timeout {Durations.Format(probes.MinRttTimeoutMs)}–{Durations.Format(probes.TimeoutMs)} adaptive, {retries}";
    }
}
