using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Protocol;

namespace PortScan.Coordinator.Launching;

/// <summary>
/// Every launcher here starts a process on this machine (the worker, ssh or srun) whose stdin and
/// stdout carry the protocol: this is the one machinery that starts it and turns its stdout into
/// <see cref="ScanEvent"/>s while it runs. Arguments go through
/// <see cref="ProcessStartInfo.ArgumentList"/>, never a local shell. A subclass says only which
/// command line runs a worker, and which exit codes are its own rather than the worker's.
/// </summary>
public abstract class ProcessLauncher(ILogger logger) : IWorkerLauncher
{
    // The longest legitimate line is a ports message of 4,096 open ports, about 120 KB.
    private const int MaxLineLength = 1 << 20;
    private static readonly TimeSpan StdoutClosedGrace = TimeSpan.FromSeconds(2);

    public abstract string Name { get; }

    public abstract int Cpus { get; }

    public abstract TimeSpan StartupAllowance { get; }

    public abstract string Placement { get; }

    public virtual string? HostFor(int slice, int attempt) => null;

    /// <summary>The program and its arguments that run worker <paramref name="worker"/> with <paramref name="arguments"/> on <paramref name="host"/>.</summary>
    protected abstract IReadOnlyList<string> CommandLine(int worker, string? host, IReadOnlyList<string> arguments);

    /// <summary>
    /// Why an attempt ended, when its exit code is the launcher's and not the worker's (ssh's 255, a
    /// step srun could not start); null when the code is the worker's own.
    /// </summary>
    /// <param name="spoke">Whether the worker wrote any line on stdout: a launch that failed never started it.</param>
    /// <param name="lastError">The last line on stderr, where ssh and srun say what went wrong.</param>
    protected virtual string? OwnFailure(int exitCode, bool spoke, string? host, string? lastError) => null;

    /// <summary>A process already started with <see cref="SpareArguments.Flag"/>, to take instead of starting one; null when there is none.</summary>
    protected virtual Process? TakeSpare() => null;

    /// <summary>How every process here is started: its stdin and stdout carry the protocol, stderr is relayed.</summary>
    internal static ProcessStartInfo StartInfo(IReadOnlyList<string> commandLine)
    {
        var startInfo = new ProcessStartInfo(commandLine[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The worker's lifeline: it closes when we exit, however we exit; while we live it carries protocol lines.
            RedirectStandardInput = true,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }
        return startInfo;
    }

    public async Task RunAsync(WorkerAttempt attempt, IReadOnlyList<string> arguments, ChannelWriter<ScanEvent> events)
    {
        var run = attempt.Run;
        var worker = run.Worker;
        var host = HostFor(worker, attempt.Number);
        run.Placed(new AttemptLaunch(Name, host));
        var commandLine = CommandLine(worker, host, arguments);
        var spare = TakeSpare();
        using var process = spare ?? new Process { StartInfo = StartInfo(commandLine) };
        if (spare is null)
        {
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                run.Finish(null);
                await events.WriteAsync(new WorkerExited(run, $"cannot start {commandLine[0]}: {e.Message}")).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            logger.LogDebug("worker {Worker}: runs in the spare worker started with the coordinator, pid {Pid}", worker, process.Id);
        }
        var running = new WorkerProcess(process);
        if (spare is not null)
        {
            // A spare that died meanwhile fails the write, and its exit is then handled as any worker's that said nothing.
            _ = running.TryWrite(SpareArguments.Line(arguments));
        }
        run.Attach(running);
        await events.WriteAsync(new WorkerStarted(run)).ConfigureAwait(false);

        string? lastError = null;
        var stderr = RelayStandardErrorAsync(process, run, line => lastError = line);
        // Read to end-of-file even after a stop request: a worker told to stop reports its finished ports first.
        var lines = new BoundedLineReader(process.StandardOutput, MaxLineLength);
        var spoke = false;
        while (await lines.ReadLineAsync().ConfigureAwait(false) is var (line, tooLong))
        {
            spoke = true;
            run.Heard();
            logger.LogTrace("worker {Worker} said: {Line}", worker, line);
            ScanEvent received = tooLong ? new WorkerBadLine(run, line, $"a line longer than {MaxLineLength} characters")
                : ProtocolCodec.TryParse(line, out var message, out var error) ? new WorkerMessageReceived(run, message!)
                : new WorkerBadLine(run, line, error);
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
                run.Fail($"it closed its stdout but was still running {StdoutClosedGrace.TotalSeconds:0} s later, and was killed");
                run.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        await stderr.ConfigureAwait(false);
        if (OwnFailure(process.ExitCode, spoke, host, lastError) is { } failure)
        {
            run.Fail(failure);
        }
        run.Finish(process.ExitCode);
        await events.WriteAsync(new WorkerExited(run, null)).ConfigureAwait(false);
    }

    private async Task RelayStandardErrorAsync(Process process, WorkerRun run, Action<string> remember)
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            run.Heard();
            remember(line);
            logger.LogWarning("worker {Worker}: {Line}", run.Worker, line);
        }
    }

    /// <summary>
    /// ssh and srun run in a session of their own (<c>setsid</c>, which execs them in place: the pid
    /// stays theirs), as a supervised worker moves to a process group of its own: a Ctrl-C typed at
    /// the terminal then reaches only the coordinator, which stops every worker through its stdin.
    /// Without it ssh would die of the Ctrl-C and take its worker's unreported ports with it.
    /// </summary>
    protected static List<string> InSessionOfItsOwn(string program) => ["setsid", program];

    /// <summary>A failure in words, and what ssh or srun said last on stderr, which usually names the cause.</summary>
    protected static string WithLastError(string failure, string? lastError) => lastError is null ? failure : $"{failure}: {lastError}";
}
