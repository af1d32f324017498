using System.Diagnostics;

namespace PortScan.Coordinator.Launching;

/// <summary>A worker reached through a process started here: the worker itself, or the ssh or srun that carries its stdin and stdout.</summary>
internal sealed class WorkerProcess(Process process) : IRunningWorker
{
    public int Pid { get; } = process.Id;

    public bool TryWrite(string line)
    {
        if (process.HasExited)
        {
            return false;
        }
        try
        {
            process.StandardInput.WriteLine(line);
            process.StandardInput.Flush();
            return true;
        }
        catch (IOException)
        {
            // It exited, or closed its stdin, after the check.
            return false;
        }
    }

    public void Kill()
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
