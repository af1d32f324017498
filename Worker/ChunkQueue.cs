using System.Collections.Concurrent;

namespace PortScan.Worker;

/// <summary>
/// A dynamic worker's next chunks as the coordinator sends them (<c>work</c> lines on stdin, read by
/// <see cref="CoordinatorLifeline"/>): the scan loop takes one after each done. The coordinator
/// answers each done with exactly one, so at most one ever waits here.
/// </summary>
internal sealed class ChunkQueue
{
    private readonly BlockingCollection<string> _chunks = [];

    public void Add(string work) => _chunks.TryAdd(work);

    /// <summary>No chunk will come: the worker was told to stop.</summary>
    public void Close() => _chunks.CompleteAdding();

    /// <summary>The next chunk's work text; empty when there is none left or the worker was stopped.</summary>
    public string Take() => _chunks.TryTake(out var work, Timeout.Infinite) ? work : "";
}
