using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Output;
using PortScan.Coordinator.Scanning;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// Runs <c>portscan scan</c>: resolve once, scan, report. Open ports are printed live on stdout
/// unless stdout carries the JSON document itself.
/// </summary>
internal sealed class ScanHandler(ScanSettings settings, TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (settings.OutputPath is { } path && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
        {
            throw new UsageException($"cannot write '{path}': its directory does not exist");
        }
        var target = await TargetResolver.ResolveAsync(settings.Target, cancellationToken).ConfigureAwait(false);
        var request = new ScanRequest(target, settings.Ports, Math.Min(settings.Workers, settings.Ports.Count), settings.Timeout,
            settings.Concurrency, settings.MaxRetries);

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

        var services = ServiceNames.Load();
        var live = settings.Format == ReportFormat.Text || settings.OutputPath is not null;
        if (live)
        {
            await stdout.WriteLineAsync(TextReport.Header(request)).ConfigureAwait(false);
            await stdout.WriteLineAsync(TextReport.ColumnHeader).ConfigureAwait(false);
        }

        ScanResult result;
        using (var loggers = ConsoleLogging.Create(settings.Verbose))
        {
            IScanObserver observer = live ? new LiveTextOutput(stdout, services, settings.ShowClosed) : new SilentObserver();
            result = await new ScanCoordinator(worker, loggers.CreateLogger("portscan"))
                .RunAsync(request, observer, cancellationToken).ConfigureAwait(false);
        }

        if (live)
        {
            foreach (var line in TextReport.Totals(result))
            {
                await stdout.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        if (settings.OutputPath is { } outputPath)
        {
            AtomicFile.Write(outputPath, writer => WriteReport(writer, result, services));
        }
        else if (settings.Format == ReportFormat.Json)
        {
            WriteReport(stdout, result, services);
        }
        await ReportUnscannedAsync(result).ConfigureAwait(false);

        return result.Interrupted ? ExitCodes.Interrupted
            : result.Complete ? ExitCodes.Success
            : ExitCodes.ScanFailed;
    }

    private void WriteReport(TextWriter writer, ScanResult result, ServiceNames services)
    {
        if (settings.Format == ReportFormat.Json)
        {
            JsonReport.From(result, services, settings.ShowClosed).Write(writer);
        }
        else
        {
            TextReport.Write(writer, result, services, settings.ShowClosed);
        }
    }

    /// <summary>No port is lost silently: every unscanned range is named, with the reason.</summary>
    private async Task ReportUnscannedAsync(ScanResult result)
    {
        foreach (var slice in result.Slices.Where(s => s.Unscanned > 0))
        {
            var ranges = slice.UnscannedPorts();
            await stderr.WriteLineAsync(
                $"portscan: worker {slice.Slice.Worker} (ports {slice.Slice.Ports}) left {slice.Unscanned} ports unscanned ({ranges}): {slice.Failure}").ConfigureAwait(false);
        }
    }
}
