using System.Runtime.InteropServices;

namespace PortScan.Coordinator.Native;

/// <summary>
/// Sends a signal to a process. .NET's Process.Kill sends only SIGKILL; a worker asked to stop
/// with SIGTERM first reports the ports it has finished, so fewer are left unscanned.
/// </summary>
internal static partial class ProcessSignals
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>False when the process is already gone.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
