using System.Globalization;

namespace PortScan.Shared.Slicing;

/// <summary>The three ways of dealing the work's positions to the workers, named as OpenMP names its loop schedules.</summary>
public enum ScheduleKind
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

    /// <summary>
    /// The threaded scanner's queue across processes, OpenMP's <c>schedule(dynamic,chunk)</c>: the
    /// work is cut into chunks of contiguous positions, each worker starts with one and asks the
    /// coordinator for the next as it finishes one, so a worker that drew slow ports simply takes fewer.
    /// </summary>
    Dynamic,
}

/// <summary>
/// A schedule and, for <see cref="ScheduleKind.Dynamic"/>, its chunk: positions a worker is given at a
/// time (0: <see cref="DefaultChunk"/>, chosen from the work's size).
/// </summary>
public sealed record Schedule(ScheduleKind Kind, int Chunk = 0)
{
    public static readonly Schedule Block = new(ScheduleKind.Block);
    public static readonly Schedule Cyclic = new(ScheduleKind.Cyclic);

    /// <summary>More chunks would make the coordinator keep a record of each for little gain: a chunk costs a round trip on the worker's pipes.</summary>
    public const int MaxChunks = 65_536;

    /// <summary>Chunks each worker gets on average when no chunk is given: enough for the last to even out, few enough that the round trips stay negligible.</summary>
    public const int DefaultChunksPerWorker = 8;

    public static Schedule Dynamic(int chunk = 0) => new(ScheduleKind.Dynamic, chunk);

    /// <summary>The chunk a dynamic schedule of <paramref name="total"/> positions over <paramref name="workers"/> uses.</summary>
    public int ChunkFor(int total, int workers) =>
        Chunk > 0 ? Chunk : Math.Max(1, (int)Math.Ceiling(total / (double)(workers * DefaultChunksPerWorker)));

    /// <summary>Why this schedule cannot deal <paramref name="total"/> positions to <paramref name="workers"/>, in words for the user; null when it can.</summary>
    public string? Problem(int total, int workers)
    {
        if (Kind != ScheduleKind.Dynamic || total < 1 || workers < 1)
        {
            return null;
        }
        var chunks = SlicePlanner.Chunks(total, workers, this);
        return chunks <= MaxChunks ? null
            : string.Create(CultureInfo.InvariantCulture, $"--schedule {Name}: {total:N0} ports in chunks of {ChunkFor(total, Math.Min(workers, total))} make {chunks:N0} chunks, more than the {MaxChunks:N0} a scan keeps track of; give a larger chunk");
    }

    /// <summary>How the ports were dealt, for a sentence that says how many workers scanned them; empty for the default, block.</summary>
    public string Described => Kind switch
    {
        ScheduleKind.Block => "",
        ScheduleKind.Cyclic => "ports dealt round-robin (--schedule cyclic)",
        _ => $"ports handed out in chunks as workers asked (--schedule {Name})",
    };

    /// <summary><c>block</c>, <c>cyclic</c>, <c>dynamic</c> or <c>dynamic:4</c>: as <c>--schedule</c> takes it.</summary>
    public string Name => Kind switch
    {
        ScheduleKind.Block => "block",
        ScheduleKind.Cyclic => "cyclic",
        _ => Chunk > 0 ? string.Create(CultureInfo.InvariantCulture, $"dynamic:{Chunk}") : "dynamic",
    };

    public override string ToString() => Name;
}
