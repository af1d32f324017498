using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using Spectre.Console;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>Runs real scans (real worker processes) for the demo and the benchmark, showing each while it runs and recording its timeline.</summary>
public sealed class TrialRunner(WorkerCommand workerCommand, ILogger logger, IAnsiConsole console, bool interactive)
{
    public async Task<Trial> RunAsync(string label, ResolvedTarget target, Shared.Ports.PortSet ports, int workers, ProbeSettings probes, Schedule schedule, int repeat,
        CancellationToken cancellationToken)
    {
        var request = new ScanRequest([target], Shared.Ports.PortSelection.OfTcp(ports), Math.Min(workers, ports.Count), probes, ScanDefaults.MaxWorkerRestarts, Schedule: schedule);
        var coordinator = new ScanCoordinator(new LocalLauncher(workerCommand, logger), logger);
        WorkerTimeline? timeline = null;
        var result = await WorkerProgress.RunAsync(console, interactive, request, async observer =>
        {
            // Started and finished around the coordinator alone, so its wall is the scan's, not the live view's.
            var recorder = new WorkerTimeline.Recorder();
            var scanned = await coordinator.RunAsync(request, new ObserverGroup([observer, recorder]), cancellationToken).ConfigureAwait(false);
            timeline = recorder.Finish();
            return scanned;
        }).ConfigureAwait(false);
        return new Trial(label, request.Processes, probes.Concurrency, repeat, result, timeline!);
    }
}
