namespace PortScan.Worker.Timing;

/// <summary>
/// A port that has gone unanswered at least once, and how many of its tries count. Ports answered
/// at the first try never get one (a full scan of a clean host allocates none).
/// </summary>
internal sealed class PortProbe(int port)
{
    public int Port { get; } = port;

    /// <summary>Every silent try, refunded or not: refunds stop at a hard cap, so no port is retried forever.</summary>
    public int SilentTries { get; set; }

    /// <summary>Silent tries that count against the host's allowed tries: a try lost to our own pace is refunded.</summary>
    public int CountedTries { get; set; }

    /// <summary>Out of tries for now: waits for the host's end, when the evidence of every window is in.</summary>
    public bool Parked { get; set; }

    /// <summary>Answered (after a silent try) or reported filtered: nothing more happens to it.</summary>
    public bool Finished { get; set; }
}
