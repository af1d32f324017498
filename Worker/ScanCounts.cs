namespace PortScan.Worker;

/// <summary>How many ports of a slice ended in each state, counted by the <see cref="ResultWriter"/> as it reports them.</summary>
internal sealed class ScanCounts
{
    public int Open { get; set; }
    public int Closed { get; set; }
    public int Filtered { get; set; }
    public int OpenFiltered { get; set; }
}
