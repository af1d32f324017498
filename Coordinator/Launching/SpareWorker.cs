using System.ComponentModel;
using System.Diagnostics;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// A worker process started as the coordinator starts, before its command line is parsed, for the
/// scan's first local worker to take (<see cref="SpareArguments"/>). The two .NET start-ups then
/// run side by side on two cores instead of one after the other: a one-port scan is mostly start-up
/// (docs/benchmarks.md, "Start-up"). Started on a thread of its own, so that the first
/// <see cref="Process.Start()"/> (loading System.Diagnostics.Process) does not hold up the parse either.
/// A spare nobody takes is killed and waited for when disposed: it has done nothing yet.
/// </summary>
public sealed class SpareWorker : IDisposable
{
    private readonly WorkerCommand _command;
    private readonly Task<Process?> _starting;
    private bool _taken;

    private SpareWorker(WorkerCommand command)
    {
        _command = command;
        var started = new TaskCompletionSource<Process?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _starting = started.Task;
        // A thread of its own, not the pool's, which the scan's own tasks keep busy at the moment it would matter.
        new Thread(() =>
        {
            started.SetResult(Start(command));
            // The spare answers within milliseconds of its launch: reading its lines must not wait for
            // System.Text.Json's set-up, which the scan loop would otherwise begin only then.
            ProtocolCodec.WarmUp();
        })
        { IsBackground = true, Name = "spare worker" }.Start();
    }

    /// <summary>
    /// A spare for a command line that scans with this machine's worker; null for any other (help,
    /// another command, <c>--worker-path</c>, <c>--launch</c>), where it would only cost a process.
    /// </summary>
    public static SpareWorker? For(string[] args)
    {
        var words = PortScanCli.WithDefaultCommand(args);
        if (words is not ["scan", ..] || words.Any(w => w is "-h" or "-?" or "--help" || w.StartsWith("--worker-path", StringComparison.Ordinal) || w.StartsWith("--launch", StringComparison.Ordinal)))
        {
            return null;
        }
        try
        {
            return new SpareWorker(WorkerCommand.NextToCoordinator());
        }
        catch (FileNotFoundException)
        {
            // The scan says so, in its own words, when it needs a worker.
            return null;
        }
    }

    /// <summary>The spare's process, once, for a worker run with <paramref name="command"/>; null when there is none to take.</summary>
    internal Process? Take(WorkerCommand command)
    {
        if (_taken || command.FileName != _command.FileName || !command.LeadingArguments.SequenceEqual(_command.LeadingArguments))
        {
            return null;
        }
        _taken = true;
        return _starting.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_taken)
        {
            return;
        }
        _taken = true;
        if (_starting.GetAwaiter().GetResult() is not { } process)
        {
            return;
        }
        using (process)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It has exited already.
            }
            process.WaitForExit();
        }
    }

    private static Process? Start(WorkerCommand command)
    {
        var process = new Process { StartInfo = ProcessLauncher.StartInfo([command.FileName, .. command.LeadingArguments, SpareArguments.Flag]) };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            // Not startable: the first worker is started as usual, and says why.
            process.Dispose();
            return null;
        }
        // Still beside the parse: what the first launch would otherwise do on the way to the worker's first line.
        _ = process.StandardInput;
        _ = SpareArguments.Line([]);
        return process;
    }
}
