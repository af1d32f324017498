namespace PortScan.Coordinator.Launching;

/// <summary>A started worker as the coordinator reaches it: protocol lines to its stdin, and a kill.</summary>
public interface IRunningWorker
{
    /// <summary>The process started here: the worker itself, or the ssh or srun that carries it.</summary>
    int Pid { get; }

    /// <summary>Writes one protocol line to the worker's stdin; false when it is gone or closed its end.</summary>
    bool TryWrite(string line);

    /// <summary>
    /// Stops it at once, reporting nothing more. Through ssh the remote worker follows when its stdin
    /// closes; through srun Slurm cancels the step.
    /// </summary>
    void Kill();
}
