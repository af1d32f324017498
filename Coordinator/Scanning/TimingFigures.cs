using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// A worker process's timing of one host, as its latest <see cref="TimingMessage"/> said, without the
/// message's target text: the coordinator keeps one a host a process, 40 bytes in place of a message
/// object and its string (about 130 bytes a host more in a sweep).
/// </summary>
public readonly record struct TimingFigures(double SrttMs, double RttVarMs, int TimeoutMs, int RttSamples, int Probes, int Retries, int Drops, int Tries)
{
    public static TimingFigures Of(TimingMessage message) =>
        new(message.SrttMs, message.RttVarMs, message.TimeoutMs, message.RttSamples, message.Probes, message.Retries, message.Drops, message.Tries);

    /// <summary>The figures as the message that tells a worker of <paramref name="target"/> what the others saw.</summary>
    public TimingMessage ToMessage(string target) => new(target, SrttMs, RttVarMs, TimeoutMs, RttSamples, Probes, Retries, Drops, Tries);
}
