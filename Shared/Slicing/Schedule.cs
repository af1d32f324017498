namespace PortScan.Shared.Slicing;

/// <summary>
/// How the work's positions are dealt to the workers, named as OpenMP names its loop schedules.
/// </summary>
public enum Schedule
{
    /// <summary>
    /// The original article's arithmetic, OpenMP's <c>schedule(static)</c>: worker i takes the
    /// contiguous block <c>i·per .. (i+1)·per − 1</c>, the last one the remainder too.
    /// </summary>
    Block,

    /// <summary>
    /// Round-robin, OpenMP's <c>schedule(static,1)</c>: worker i takes positions i, i + W, i + 2W, …
    /// A run of slow ports (a firewalled block) is shared by every worker instead of falling to one.
    /// </summary>
    Cyclic,
}
