using System.Diagnostics;

namespace PortScan.Worker.Probing;

/// <summary>
/// What an engine does when the process runs out of descriptors or ports: with probes in flight,
/// wait for them to free some; with none in flight for <see cref="GiveUp"/>, fail the scan rather
/// than guess any port's state.
/// </summary>
internal sealed class ResourceShortage
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    private long _since;

    /// <summary>The shortage is over: the next one starts its own clock.</summary>
    public void Clear() => _since = 0;

    /// <summary>Nothing is in flight to free resources: nap briefly, and fail once this has lasted too long.</summary>
    public void WaitWithNothingInFlight(IPortResultSink sink)
    {
        _since = _since == 0 ? Stopwatch.GetTimestamp() : _since;
        if (Stopwatch.GetElapsedTime(_since) > GiveUp)
        {
            throw new ScanFailedException($"out of sockets, ports or buffers with nothing in flight for {GiveUp.TotalSeconds:0} s");
        }
        sink.Flush();
        Thread.Sleep(10);
    }
}
