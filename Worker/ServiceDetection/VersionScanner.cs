using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Worker.Timing;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Version detection over a worker's open ports (and UDP ports held as open|filtered), after its port scan: up to
/// <see cref="Parallelism"/> ports at once, each searched by a <see cref="ServiceProber"/>, each
/// finding sent as a <see cref="ServiceMessage"/> the moment it is known. The loop wakes at least
/// once a heartbeat interval, so the coordinator keeps hearing from a worker whose probes wait
/// seconds for answers. nmap runs 20 service probes at once at its default timing (service_scan.cc's
/// ideal_parallelism), one with -T0 to -T2: here the worker's concurrency caps it, which -T0 to -T2 set to 1.
/// </summary>
internal sealed class VersionScanner(ProbeDatabase database, int intensity, int concurrency, HostTimings hosts)
{
    public int Parallelism { get; } = Math.Clamp(concurrency, 1, 20);

    public async Task ScanAsync(IReadOnlyList<PortToProbe> ports, IPortResultSink sink, CancellationToken stop)
    {
        var prober = new ServiceProber(database, intensity);
        var running = new List<(Task<(DetectedService Service, bool Answered)> Search, PortToProbe Port)>();
        var next = 0;
        try
        {
            while (next < ports.Count || running.Count > 0)
            {
                while (running.Count < Parallelism && next < ports.Count)
                {
                    var port = ports[next++];
                    var timing = hosts.Find(port.Target.Address);
                    Func<bool> givenUp = () => timing is not null && timing.TimeIsUp(System.Diagnostics.Stopwatch.GetTimestamp());
                    running.Add((Task.Run(() => prober.IdentifyAsync(port.Target.Address, port.Transport, port.Port, givenUp, stop), stop), port));
                }
                await Task.WhenAny([.. running.Select(r => (Task)r.Search), Task.Delay(ResultWriter.HeartbeatInterval, stop)]).ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                for (var i = running.Count - 1; i >= 0; i--)
                {
                    var (search, port) = running[i];
                    if (search.IsCompleted)
                    {
                        running.RemoveAt(i);
                        var (service, answered) = await search.ConfigureAwait(false);
                        if (port.Held)
                        {
                            // nmap's service scan: a UDP port that answers a probe is open; one that does not stays open|filtered, with no service of its own.
                            sink.Report(port.Target, port.Transport, port.Port, answered ? PortState.Open : PortState.OpenFiltered, port.RttMs,
                                reason: answered ? null : port.Reason);
                            if (!answered)
                            {
                                continue;
                            }
                        }
                        sink.Tell(new ServiceMessage(port.Target.Text, port.Transport.ToWireName(), port.Port, service));
                    }
                }
                sink.Flush();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the searches end on the same token; what they found is not reported, but the held
            // ports' scan results are (open|filtered, as the UDP scan found them): nothing is lost.
            await Task.WhenAll(running.Select(r => r.Search)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var port in running.Select(r => r.Port).Concat(ports.Skip(next)).Where(p => p.Held))
            {
                sink.Report(port.Target, port.Transport, port.Port, PortState.OpenFiltered, port.RttMs, reason: port.Reason);
            }
        }
    }
}
