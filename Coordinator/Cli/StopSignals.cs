using System.Runtime.InteropServices;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM. The first asks the running command to stop: a scan stops its
/// workers, keeps what they finished and writes its report marked incomplete. The second quits at
/// once; the workers notice their stdin pipe close and exit by themselves.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _stderr;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public StopSignals(TextWriter stderr)
    {
        _stderr = stderr;
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
        _stderr.WriteLine("portscan: stopping; what is finished is kept (Ctrl-C again to quit at once)");
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
