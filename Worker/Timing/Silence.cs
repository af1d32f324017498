namespace PortScan.Worker.Timing;

/// <summary>What becomes of a port whose probe timed out.</summary>
internal enum Silence
{
    /// <summary>The host's evidence says another try is worth making now.</summary>
    TryAgain,

    /// <summary>Out of tries for now: it waits for the host's end, when all the evidence is in and may allow more.</summary>
    Park,

    /// <summary>Out of tries for good: filtered.</summary>
    Filtered,
}
