namespace PortScan.Coordinator.Scanning;

/// <summary>Totals over all slices, or one host's (a value: a sweep holds two a host). The five counts always add up to the ports requested.</summary>
/// <param name="OpenFiltered">UDP ports that stayed silent through every retry (nmap's open|filtered).</param>
public readonly record struct ScanSummary(int Open, int Closed, int Filtered, int OpenFiltered, int Unscanned)
{
    public int Total => Scanned + Unscanned;
    public int Scanned => Open + Closed + Filtered + OpenFiltered;

    public static ScanSummary operator +(ScanSummary a, ScanSummary b) =>
        new(a.Open + b.Open, a.Closed + b.Closed, a.Filtered + b.Filtered, a.OpenFiltered + b.OpenFiltered, a.Unscanned + b.Unscanned);

    public static ScanSummary Of(IEnumerable<SliceTracker> slices)
    {
        int open = 0, closed = 0, filtered = 0, openFiltered = 0, unscanned = 0;
        foreach (var slice in slices)
        {
            open += slice.Open;
            closed += slice.Closed;
            filtered += slice.Filtered;
            openFiltered += slice.OpenFiltered;
            unscanned += slice.Unscanned;
        }
        return new ScanSummary(open, closed, filtered, openFiltered, unscanned);
    }
}
