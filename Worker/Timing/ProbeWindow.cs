namespace PortScan.Worker.Timing;

/// <summary>
/// The probes sent to one host during one stretch of time (<see cref="CongestionControl.WindowTicks"/>):
/// the unit of evidence the congestion control judges. The evidence is its canaries (probes to a
/// port of the host known to answer, so a silent one was lost), known by one timeout after the
/// window closes.
/// </summary>
internal sealed class ProbeWindow(long index, long startTicks)
{
    public long Index { get; } = index;

    public long StartTicks { get; } = startTicks;

    public long LastSendTicks { get; set; }

    /// <summary>Probes of every kind sent in it: its pace.</summary>
    public int Sent { get; set; }

    public int CanariesAnswered { get; private set; }

    public int CanariesLost { get; private set; }

    /// <summary>Canaries whose fate is not known yet.</summary>
    public int Outstanding { get; private set; }

    public void CanarySent() => Outstanding++;

    public void CanaryAnswered()
    {
        CanariesAnswered++;
        Outstanding--;
    }

    public void CanaryLost()
    {
        CanariesLost++;
        Outstanding--;
    }

    /// <summary>A canary that never left (the process was short of descriptors): it proves nothing.</summary>
    public void CanaryUnsent() => Outstanding--;

    /// <summary>Ports whose try in this window timed out: their tries are refunded if the window's loss proves to be ours.</summary>
    public List<PortProbe> Silent { get; } = [];
}
