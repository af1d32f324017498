using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// Runs <c>portscan scan</c>: resolve every target once, scan, report. stdout carries either the
/// scan as text (live "Discovered" lines, then the report) or, when no report file is asked for
/// and --format is not text, the report document itself: jsonl streamed, the others at the end.
/// A scan with a report file or --journal keeps a journal of its results until it is complete;
/// <paramref name="resumed"/> is the journal of a scan <c>portscan resume</c> goes on with.
/// </summary>
internal sealed class ScanHandler(ScanSettings settings, TextWriter stdout, TextWriter stderr, JournalFile? resumed = null, SpareWorker? spare = null)
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
        var journalPath = JournalPath(files);

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
        var launcher = await settings.Launch.CreateAsync(worker, logger, spare, cancellationToken).ConfigureAwait(false);
        var request = await RequestAsync(settings.Workers ?? launcher.Cpus, cancellationToken).ConfigureAwait(false);
        using var journal = await OpenJournalAsync(journalPath, request).ConfigureAwait(false);
        request = request with { Resumed = resumed?.Results };

        var services = ServiceNames.Load();
        var stdoutFormat = toStdout.Count > 0 ? toStdout[0].Format : files.Count > 0 ? ReportFormat.Text : settings.Format;
        using var progress = ProgressLine.Wanted(stderr, settings.NoProgress) ? new ProgressLine(lines) : null;
        var observers = new List<IScanObserver>();
        if (progress is not null)
        {
            observers.Add(progress);
        }
        if (journal is not null)
        {
            observers.Add(journal);
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
        journal?.Dispose();

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
        await EndJournalAsync(journalPath, result.Complete, lost, result.Interrupted).ConfigureAwait(false);

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
        if (WorkList.TooMany(hosts.Count, settings.Ports.Count) is { } tooMany)
        {
            throw new UsageException(tooMany);
        }
        var workers = (int)Math.Min(workersAsked, (long)hosts.Count * settings.Ports.Count);
        if (settings.Schedule.Problem(hosts.Count * settings.Ports.Count, workers) is { } problem)
        {
            throw new UsageException(problem);
        }
        return new ScanRequest(hosts, settings.Ports, workers, settings.Probes, settings.MaxWorkerRestarts, settings.Schedule, settings.Version);
    }

    /// <summary>
    /// Where the journal goes: the one resumed; --journal; else beside the first report file, its
    /// extension replaced (<c>-oA lab</c>: <c>lab.journal</c>). A scan that writes no file keeps
    /// none unless asked: it leaves nothing behind, as before. A new scan never overwrites a journal:
    /// it is a scan that did not finish, and the user may not want to lose it.
    /// </summary>
    private string? JournalPath(List<(ReportFormat Format, string Path)> files)
    {
        if (resumed is not null)
        {
            return resumed.Path;
        }
        var path = settings.Journal ?? (files.Count > 0 ? Path.ChangeExtension(files[0].Path, ".journal") : null);
        if (path is null)
        {
            return null;
        }
        if (files.Any(f => Path.GetFullPath(f.Path) == Path.GetFullPath(path)))
        {
            throw new UsageException($"the journal '{path}' would be written over a report: give --journal another file");
        }
        if (File.Exists(path))
        {
            throw new UsageException($"'{path}' is the journal of a scan that did not finish: go on with it ({ResumeCommand.Suggestion(path)}), or delete it to start again");
        }
        ReportFiles.CheckWritable(path);
        return path;
    }

    private async Task<ScanJournal?> OpenJournalAsync(string? path, ScanRequest request)
    {
        if (resumed is not null)
        {
            await stderr.WriteLineAsync($"portscan: resuming from '{resumed.Path}': {resumed.Results.Count:N0} of {request.Work.Count:N0} host-ports are in it"
                + (resumed.DroppedBytes > 0 ? $"; its incomplete last line ({Counted.Of(resumed.DroppedBytes, "byte")}, cut short when the scan was killed) is left out" : "")).ConfigureAwait(false);
            return ScanJournal.Continue(resumed);
        }
        try
        {
            return path is null ? null : ScanJournal.Create(path, Environment.CurrentDirectory, settings.Arguments);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot write the journal '{path}': {e.Message}");
        }
    }

    /// <summary>A complete scan whose reports are written needs its journal no more; any other is told how to go on.</summary>
    private async Task EndJournalAsync(string? path, bool complete, bool lost, bool interrupted)
    {
        if (path is null)
        {
            if (interrupted)
            {
                await stderr.WriteLineAsync("portscan: this scan kept no journal, so it cannot be resumed: give a report file (-oA BASE) or --journal FILE next time").ConfigureAwait(false);
            }
        }
        else if (complete && lost)
        {
            await stderr.WriteLineAsync($"portscan: every port was scanned; to write the reports again from the journal: {ResumeCommand.Suggestion(path)}").ConfigureAwait(false);
        }
        else if (complete)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"portscan: the scan is complete, but its journal '{path}' could not be deleted ({e.Message}): delete it by hand").ConfigureAwait(false);
            }
        }
        else
        {
            await stderr.WriteLineAsync($"portscan: to scan only what is left: {ResumeCommand.Suggestion(path)}").ConfigureAwait(false);
        }
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
            // A resumed scan goes on with what its journal holds of the hosts found up again.
            var scan = new ScanRequest(up, request.Ports, workers, request.Probes, request.MaxWorkerRestarts, request.Schedule, request.Version, request.Resumed);
            live = await new ScanCoordinator(launcher, logger).RunAsync(scan, observer, cancellationToken).ConfigureAwait(false);
        }
        return new ScanResult(request, discovery, startedAt, live, pingSweep);
    }

    /// <summary>No port is lost silently: every unscanned host-port is named, with the reason.</summary>
    private async Task ReportUnscannedAsync(ScanResult result)
    {
        // The dynamic schedule's slices are chunks, which any worker may have had.
        var what = result.Request.Schedule.Kind == ScheduleKind.Dynamic ? "chunk" : "worker";
        var unscanned = result.Slices.Where(s => s.Unscanned > 0).ToList();
        foreach (var slice in unscanned.Where(s => s.Attempts.Count > 0))
        {
            await stderr.WriteLineAsync(
                $"portscan: {what} {slice.Slice.Worker} ({slice.Slice.Work}) left {Counted.Of(slice.Unscanned, "port")} unscanned ({slice.UnscannedWork()}): {slice.Failure}").ConfigureAwait(false);
        }
        // Chunks still queued when the scan stopped: one line for all, not one a chunk (a scan may have thousands).
        if (unscanned.Where(s => s.Attempts.Count == 0).ToList() is { Count: > 0 } queued)
        {
            var work = result.Request.Work.Select(queued.SelectMany(s => s.Slice.Bounds.Positions()));
            await stderr.WriteLineAsync(
                $"portscan: {Counted.Of(queued.Count, "chunk")} with {Counted.Of(queued.Sum(s => s.Unscanned), "port")} ({work}) never started: {queued[0].Failure}").ConfigureAwait(false);
        }
    }
}
