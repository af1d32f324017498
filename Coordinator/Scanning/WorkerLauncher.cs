using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Starts one worker process for one attempt and turns its stdout into <see cref="ScanEvent"/>s
/// while it runs. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell.
/// Stopping, distrusting and replacing workers is the coordinator's decision, not the launcher's.
/// </summary>
public sealed class WorkerLauncher(WorkerCommand command, ILogger logger)
{
    // The longest legitimate line is a ports message of 4,096 open ports, about 120 KB.
    private const int MaxLineLength = 1 << 20;
    private static readonly TimeSpan StdoutClosedGrace = TimeSpan.FromSeconds(2);

    /// <param name="arguments">Built by the caller, so a mistake in them surfaces in the scan loop and not in a task nobody awaits yet.</param>
    public async Task RunAsync(WorkerAttempt attempt, IReadOnlyList<string> arguments, ChannelWriter<ScanEvent> events)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The worker's lifeline: it closes when we exit, however we exit; while we live it carries timing hints.
            RedirectStandardInput = true,
        };
        foreach (var argument in command.LeadingArguments.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            attempt.Finish(null, stopwatch.Elapsed);
            await events.WriteAsync(new WorkerExited(attempt, $"cannot start {command.FileName}: {e.Message}")).ConfigureAwait(false);
            return;
        }
        attempt.Attach(process);
        await events.WriteAsync(new WorkerStarted(attempt)).ConfigureAwait(false);

        var stderr = RelayStandardErrorAsync(process, attempt);
        // Read to end-of-file even after a stop request: a worker told to stop reports its finished ports first.
        var lines = new BoundedLineReader(process.StandardOutput, MaxLineLength);
        while (await lines.ReadLineAsync().ConfigureAwait(false) is var (line, tooLong))
        {
            attempt.Heard();
            logger.LogTrace("worker {Worker} said: {Line}", attempt.Slice.Slice.Worker, line);
            ScanEvent received = tooLong ? new WorkerBadLine(attempt, line, $"a line longer than {MaxLineLength} characters")
                : ProtocolCodec.TryParse(line, out var message, out var error) ? new WorkerMessageReceived(attempt, message!)
                : new WorkerBadLine(attempt, line, error);
            await events.WriteAsync(received).ConfigureAwait(false);
        }
        // Its results end with its stdout: a worker that closes stdout and lingers gets a moment, then is killed.
        using (var linger = new CancellationTokenSource(StdoutClosedGrace))
        {
            try
            {
                await process.WaitForExitAsync(linger.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                attempt.Fail($"it closed its stdout but was still running {StdoutClosedGrace.TotalSeconds:0} s later, and was killed");
                attempt.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        await stderr.ConfigureAwait(false);
        attempt.Finish(process.ExitCode, stopwatch.Elapsed);
        await events.WriteAsync(new WorkerExited(attempt, null)).ConfigureAwait(false);
    }

    private async Task RelayStandardErrorAsync(Process process, WorkerAttempt attempt)
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            attempt.Heard();
            logger.LogWarning("worker {Worker}: {Line}", attempt.Slice.Slice.Worker, line);
        }
    }
}
