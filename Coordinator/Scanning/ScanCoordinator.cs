using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Runs a scan: plans the slices, starts one worker process a slice, reads all their results as
/// they arrive, waits for every worker to exit and returns the aggregated result.
/// </summary>
public sealed class ScanCoordinator(WorkerCommand workerCommand, ILogger logger)
{
    public async Task<ScanResult> RunAsync(ScanRequest request, IScanObserver observer, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.Now;
        var stopwatch = Stopwatch.StartNew();
        var slices = SlicePlanner.Plan(request.Ports, request.Workers).Select(s => new SliceTracker(s)).ToArray();
        var timeoutMs = (int)request.Timeout.TotalMilliseconds;
        // The first parse sets up System.Text.Json's metadata (tens of ms): do it on another core
        // while the workers start, instead of after their first line arrives.
        var warmUp = Task.Run(() => ProtocolCodec.TryParse(ProtocolCodec.Serialize(new DoneMessage(0, 0, 0, 0)), out _, out _), CancellationToken.None);

        // One reader (this method) and many writers (the launchers): no locks around the trackers.
        var events = Channel.CreateUnbounded<WorkerEvent>(new UnboundedChannelOptions { SingleReader = true });
        var launcher = new WorkerLauncher(workerCommand, logger);
        var launches = slices.Select(s => launcher.RunAsync(
            new WorkerArguments(request.Target.Address, s.Slice.Ports, timeoutMs, request.Concurrency, s.Slice.Worker),
            events.Writer,
            cancellationToken)).ToArray();
        _ = Task.WhenAll(launches).ContinueWith(t => events.Writer.Complete(t.Exception), TaskScheduler.Default);

        await foreach (var workerEvent in events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var slice = slices[workerEvent.Worker];
            switch (workerEvent)
            {
                case WorkerStarted started:
                    slice.Pid = started.Pid;
                    logger.LogInformation("worker {Worker}: started pid {Pid} for ports {Ports}", slice.Slice.Worker, started.Pid, slice.Slice.Ports);
                    observer.WorkerStarted(slice);
                    break;
                case WorkerMessageReceived { Message: var message }:
                    Apply(slice, message, observer);
                    break;
                case WorkerBadLine bad:
                    logger.LogWarning("worker {Worker}: ignored a line that is not a protocol message ({Error}): {Line}", bad.Worker, bad.Error, Truncate(bad.Line));
                    break;
                case WorkerExited exited:
                    slice.ExitCode = exited.ExitCode;
                    slice.Elapsed = exited.Elapsed;
                    if (slice.Unscanned > 0)
                    {
                        slice.Failure ??= exited.StartError
                            ?? (cancellationToken.IsCancellationRequested ? "the scan was interrupted" : $"the worker exited with code {exited.ExitCode} before reporting them");
                    }
                    logger.LogInformation("worker {Worker}: pid {Pid} exited with code {Code} after {Ms:F0} ms", slice.Slice.Worker, slice.Pid, exited.ExitCode, exited.Elapsed.TotalMilliseconds);
                    observer.WorkerExited(slice);
                    break;
            }
        }
        await Task.WhenAll(launches).ConfigureAwait(false);
        await warmUp.ConfigureAwait(false);
        return new ScanResult(request, startedAt, stopwatch.Elapsed, cancellationToken.IsCancellationRequested, slices);
    }

    private void Apply(SliceTracker slice, WorkerMessage message, IScanObserver observer)
    {
        switch (message)
        {
            case HelloMessage hello when hello.Protocol != ProtocolCodec.Version:
                logger.LogWarning("worker {Worker}: speaks protocol {Version}, expected {Expected}", slice.Slice.Worker, hello.Protocol, ProtocolCodec.Version);
                break;
            case PortsMessage ports:
                foreach (var open in ports.Open)
                {
                    Record(slice, open.Port, PortState.Open, open.RttMs, observer);
                }
                foreach (var port in ports.Closed)
                {
                    Record(slice, port, PortState.Closed, 0, observer);
                }
                foreach (var port in ports.Filtered)
                {
                    Record(slice, port, PortState.Filtered, 0, observer);
                }
                break;
            case ErrorMessage error:
                slice.Failure = error.Message;
                logger.LogWarning("worker {Worker}: {Message}", slice.Slice.Worker, error.Message);
                break;
        }
    }

    private void Record(SliceTracker slice, int port, PortState state, double rttMs, IScanObserver observer)
    {
        if (slice.TryRecord(port, state, rttMs, out var problem))
        {
            observer.PortFinished(slice, port, state, rttMs);
        }
        else
        {
            logger.LogWarning("worker {Worker}: {Problem}; ignored", slice.Slice.Worker, problem);
        }
    }

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "…";
}
