namespace PortScan.Coordinator.Scanning;

/// <summary>Totals over all slices. The four counts always add up to the ports requested.</summary>
public sealed record ScanSummary(int Open, int Closed, int Filtered, int Unscanned)
{
    public int Total => Open + Closed + Filtered + Unscanned;
    public int Scanned => Open + Closed + Filtered;

    public static ScanSummary Of(IEnumerable<SliceTracker> slices)
    {
        int open = 0, closed = 0, filtered = 0, unscanned = 0;
        foreach (var slice in slices)
        {
            open += slice.Open;
            closed += slice.Closed;
            filtered += slice.Filtered;
            unscanned += slice.Unscanned;
        }
        return new ScanSummary(open, closed, filtered, unscanned);
    }
}
