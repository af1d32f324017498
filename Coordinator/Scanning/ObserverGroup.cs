using PortScan.Coordinator.Targets;

namespace PortScan.Coordinator.Scanning;

/// <summary>Several observers heard as one (live lines, a JSON-lines stream, the progress bar), in order.</summary>
public sealed class ObserverGroup(IReadOnlyList<IScanObserver> observers) : IScanObserver
{
    public void WorkerStarted(WorkerAttempt attempt)
    {
        foreach (var observer in observers)
        {
            observer.WorkerStarted(attempt);
        }
    }

    public void PortFinished(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        foreach (var observer in observers)
        {
            observer.PortFinished(slice, host, port);
        }
    }

    public void ServiceFound(SliceTracker slice, ResolvedTarget host, PortResult port)
    {
        foreach (var observer in observers)
        {
            observer.ServiceFound(slice, host, port);
        }
    }

    public void WorkerExited(WorkerAttempt attempt)
    {
        foreach (var observer in observers)
        {
            observer.WorkerExited(attempt);
        }
    }

    public void Progressed(ScanProgress progress)
    {
        foreach (var observer in observers)
        {
            observer.Progressed(progress);
        }
    }
}
