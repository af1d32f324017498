using System.Runtime.InteropServices;
using PortScan.Shared.Protocol;
using PortScan.Worker.Timing;

namespace PortScan.Worker;

/// <summary>
/// What ties a supervised worker to its coordinator, so that no worker outlives it.
/// <para>
/// The coordinator holds the write end of the worker's stdin pipe. When the coordinator exits for
/// any reason, SIGKILL included, the kernel closes that end and the read here returns end-of-file:
/// the worker exits at once. While it lives, the coordinator writes protocol lines there: timing
/// hints (another worker's round-trip time for a host this one scans too), host timeouts (a host
/// another worker gave up), <c>stop</c> (finish as on SIGTERM, which cannot cross ssh or srun) and,
/// for a dynamic worker, <c>work</c> (its next chunk); any other line is ignored. Linux's parent-death signal
/// (PR_SET_PDEATHSIG) is not used: it fires when the forking <em>thread</em> exits, and .NET may
/// start a process from a thread-pool thread that is later retired, killing a healthy worker.
/// </para>
/// <para>
/// A supervised worker also moves to a process group of its own. A Ctrl-C at the terminal then
/// reaches only the coordinator, which stops its workers in order and collects what they
/// finished, instead of racing their deaths against its own signal handler.
/// </para>
/// </summary>
internal static partial class CoordinatorLifeline
{
    /// <summary>The exit code of a worker whose coordinator went away (128 + SIGHUP: "hung up on").</summary>
    public const int ExitCode = 129;

    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static partial int SetProcessGroup(int pid, int processGroup);

    /// <param name="stdin">The worker's stdin (a spare has read its arguments from it already).</param>
    /// <param name="stop">Called, on the reading thread, when the coordinator asks the worker to stop.</param>
    /// <param name="chunks">Where a dynamic worker's next chunks go.</param>
    public static void Hold(TextReader stdin, TimingHints hints, Action stop, ChunkQueue chunks)
    {
        LeaveTerminalGroup();
        var watcher = new Thread(() => ReadUntilEndOfFile(stdin, hints, stop, chunks)) { IsBackground = true, Name = "stdin lifeline" };
        watcher.Start();
    }

    /// <summary>A process group of its own, so that a Ctrl-C at the terminal reaches only the coordinator.</summary>
    public static void LeaveTerminalGroup() =>
        // Failure leaves the worker in the terminal's group: Ctrl-C then stops it directly, which the coordinator also handles.
        _ = SetProcessGroup(0, 0);

    private static void ReadUntilEndOfFile(TextReader stdin, TimingHints hints, Action stop, ChunkQueue chunks)
    {
        try
        {
            while (stdin.ReadLine() is { } line)
            {
                if (!ProtocolCodec.TryParse(line, out var message, out _))
                {
                    continue;
                }
                if (message is StopMessage)
                {
                    stop();
                    chunks.Close();
                }
                else if (message is WorkMessage work)
                {
                    chunks.Add(work.Work);
                }
                else
                {
                    hints.Add(message!);
                }
            }
        }
        catch (IOException)
        {
            // A broken pipe means the same as end-of-file.
        }
        Environment.Exit(ExitCode);
    }
}
