using System.Runtime.InteropServices;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM. The first asks the running command to stop, through the token:
/// a scan stops its workers, keeps what they finished and writes its report marked incomplete; a
/// lab removes itself. The second quits at once; workers notice their stdin pipe close and exit.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the signal that stopped us: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode => _exitCode == 0 ? ExitCodes.Interrupted : _exitCode;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var exitCode = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0)
        {
            Environment.Exit(exitCode);
        }
        _stop.Cancel();
    }

    /// <summary>
    /// Says on <paramref name="stderr"/>, when a stop is asked for, what stopping means for the
    /// running command (<paramref name="what"/>), and how not to wait for it.
    /// </summary>
    public static CancellationTokenRegistration Announce(TextWriter stderr, string what, CancellationToken token) =>
        token.Register(() => stderr.WriteLine($"portscan: {what} (Ctrl-C again to quit at once)"));

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
