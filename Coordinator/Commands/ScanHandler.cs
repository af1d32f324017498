using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// Runs <c>portscan scan</c>: resolve every target once, scan, report. stdout carries either the
/// scan as text (live "Discovered" lines, then the report) or, when no report file is asked for
/// and --format is not text, the report document itself: jsonl streamed, the others at the end.
/// </summary>
internal sealed class ScanHandler(ScanSettings settings, TextWriter stdout, TextWriter stderr)
{
    /// <summary>nmap's spelling for "this report goes to stdout" (<c>-oX -</c>).</summary>
    private const string StandardOutput = "-";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var announce = StopSignals.Announce(stderr, "stopping; what is finished is kept", cancellationToken);
        // As nmap: a report written to "-" is stdout's document, and replaces the scan's text there.
        var toStdout = settings.Files.Where(f => f.Path == StandardOutput).ToList();
        var files = settings.Files.Where(f => f.Path != StandardOutput).ToList();
        foreach (var (_, path) in files)
        {
            ReportFiles.CheckWritable(path);
        }

        WorkerCommand worker;
        try
        {
            worker = settings.WorkerPath is { } workerPath
                ? File.Exists(workerPath) ? WorkerCommand.At(workerPath) : throw new UsageException($"--worker-path '{workerPath}' does not exist")
                : WorkerCommand.NextToCoordinator();
        }
        catch (FileNotFoundException e)
        {
            await stderr.WriteLineAsync($"portscan: {e.Message}").ConfigureAwait(false);
            return ExitCodes.ScanFailed;
        }

        // Every line written while the scan runs goes through one writer, which keeps them clear of the progress bar.
        var lines = new ConsoleLines(stderr);
        using var loggers = ConsoleLogging.Create(settings.Verbosity, line => lines.WriteLine(stderr, line));
        var logger = loggers.CreateLogger("portscan");
        var launcher = await settings.Launch.CreateAsync(worker, logger, cancellationToken).ConfigureAwait(false);
        var request = await RequestAsync(settings.Workers ?? launcher.Cpus, cancellationToken).ConfigureAwait(false);

        var services = ServiceNames.Load();
        var stdoutFormat = toStdout.Count > 0 ? toStdout[0].Format : files.Count > 0 ? ReportFormat.Text : settings.Format;
        using var progress = ProgressLine.Wanted(stderr, settings.NoProgress) ? new ProgressLine(lines) : null;
        var observers = new List<IScanObserver>();
        if (progress is not null)
        {
            observers.Add(progress);
        }
        if (settings.StatsEvery is { } every)
        {
            observers.Add(new PeriodicStats(lines, stderr, every, () => DateTime.Now));
        }
        JsonLinesReport? stream = null;
        if (stdoutFormat == ReportFormat.Text)
        {
            await stdout.WriteLineAsync(settings.PingSweep ? TextReport.SweepHeader(request, settings.Discovery!) : TextReport.Header(request)).ConfigureAwait(false);
            observers.Add(new LiveTextOutput(stdout, lines));
        }
        else if (stdoutFormat == ReportFormat.Jsonl)
        {
            stream = new JsonLinesReport(stdout, services, settings.Shown, settings.Version is not null);
            observers.Add(stream);
        }

        var result = settings.Discovery is { } pingPorts && (request.Targets.Count > 1 || settings.PingSweep)
            ? await ScanLiveHostsAsync(request, pingPorts, settings.PingSweep, launcher, logger, new ObserverGroup(observers), cancellationToken).ConfigureAwait(false)
            : await new ScanCoordinator(launcher, logger).RunAsync(request, new ObserverGroup(observers), cancellationToken).ConfigureAwait(false);
        progress?.Dispose();

        var context = new ReportContext(result, services, settings.Shown, settings.Reason, settings.CommandLine);
        if (stream is not null)
        {
            stream.Finish(result);
        }
        else if (stdoutFormat == ReportFormat.Text)
        {
            foreach (var line in TextReport.Report(context))
            {
                await stdout.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        else
        {
            stdoutFormat.Write(stdout, context);
        }
        var lost = false;
        foreach (var (format, path) in files)
        {
            if (ReportFiles.WriteOrKeep(path, writer => format.Write(writer, context)) is { } problem)
            {
                await stderr.WriteLineAsync($"portscan: {problem}").ConfigureAwait(false);
                lost = true;
            }
        }
        await ReportUnscannedAsync(result).ConfigureAwait(false);

        return result.Interrupted ? ExitCodes.Interrupted
            : result.Complete && !lost ? ExitCodes.Success
            : ExitCodes.ScanFailed;
    }

    private async Task<ScanRequest> RequestAsync(int workersAsked, CancellationToken cancellationToken)
    {
        var targets = settings.InputList is { } list
            ? [.. settings.Targets, .. TargetFile.Read(list, Console.In)]
            : settings.Targets;
        var excludes = settings.ExcludeFile is { } excludeFile
            ? [.. settings.Excludes, .. TargetFile.Read(excludeFile, Console.In)]
            : settings.Excludes;
        var hosts = await TargetResolver.ResolveAllAsync(targets, excludes, settings.Family, cancellationToken).ConfigureAwait(false);
        if ((long)hosts.Count * settings.Ports.Count > WorkList.MaxCount)
        {
            throw new UsageException($"{hosts.Count:N0} hosts × {settings.Ports.Count:N0} ports is more than the {WorkList.MaxCount:N0} host-ports one scan holds; split the scan");
        }
        var workers = (int)Math.Min(workersAsked, (long)hosts.Count * settings.Ports.Count);
        return new ScanRequest(hosts, settings.Ports, workers, settings.Probes, settings.MaxWorkerRestarts, settings.Version, settings.Schedule);
    }

    /// <summary>
    /// Several targets, or -sn: host discovery first, then a scan of the hosts it found up (none with
    /// -sn, when it found none, or when it was stopped).
    /// </summary>
    private static async Task<ScanResult> ScanLiveHostsAsync(ScanRequest request, PortSet pingPorts, bool pingSweep, IWorkerLauncher launcher, ILogger logger,
        IScanObserver observer, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.Now;
        var discovery = await new HostDiscovery(launcher, logger).RunAsync(request, pingPorts, cancellationToken).ConfigureAwait(false);
        List<ResolvedTarget> up = [.. request.Targets.Where((_, i) => discovery.Hosts[i].Up)];
        ScanResult? live = null;
        if (up.Count > 0 && !discovery.Interrupted && !pingSweep)
        {
            var workers = (int)Math.Min(request.Workers, (long)up.Count * request.Ports.Count);
            var scan = new ScanRequest(up, request.Ports, workers, request.Probes, request.MaxWorkerRestarts, request.Version, request.Schedule);
            live = await new ScanCoordinator(launcher, logger).RunAsync(scan, observer, cancellationToken).ConfigureAwait(false);
        }
        return new ScanResult(request, discovery, startedAt, live, pingSweep);
    }

    /// <summary>No port is lost silently: every unscanned host-port is named, with the reason.</summary>
    private async Task ReportUnscannedAsync(ScanResult result)
    {
        foreach (var slice in result.Slices.Where(s => s.Unscanned > 0))
        {
            await stderr.WriteLineAsync(
                $"portscan: worker {slice.Slice.Worker} ({slice.Slice.Work}) left {Counted.Of(slice.Unscanned, "port")} unscanned ({slice.UnscannedWork()}): {slice.Failure}").ConfigureAwait(false);
        }
    }
}
