using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Starts one worker process for one slice and turns its stdout into <see cref="WorkerEvent"/>s
/// while it runs. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell.
/// </summary>
public sealed class WorkerLauncher(WorkerCommand command, ILogger logger)
{
    public async Task RunAsync(WorkerArguments arguments, ChannelWriter<WorkerEvent> events, CancellationToken cancellationToken)
    {
        var worker = arguments.WorkerId;
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A pipe, not the user's terminal: keystrokes meant for the coordinator never reach a worker.
            RedirectStandardInput = true,
        };
        foreach (var argument in command.LeadingArguments.Concat(arguments.ToArgumentList()))
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
            await events.WriteAsync(new WorkerExited(worker, null, stopwatch.Elapsed, $"cannot start {command.FileName}: {e.Message}"), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await events.WriteAsync(new WorkerStarted(worker, process.Id), CancellationToken.None).ConfigureAwait(false);

        var stderr = RelayStandardErrorAsync(process, worker);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                WorkerEvent received = ProtocolCodec.TryParse(line, out var message, out var error)
                    ? new WorkerMessageReceived(worker, message!)
                    : new WorkerBadLine(worker, line, error);
                await events.WriteAsync(received, CancellationToken.None).ConfigureAwait(false);
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await stderr.ConfigureAwait(false);
        await events.WriteAsync(new WorkerExited(worker, process.ExitCode, stopwatch.Elapsed, null), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RelayStandardErrorAsync(Process process, int worker)
    {
        while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            logger.LogWarning("worker {Worker}: {Line}", worker, line);
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing to stop.
        }
    }
}
