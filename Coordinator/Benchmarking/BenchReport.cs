using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortScan.Coordinator.Benchmarking;

/// <summary>What <c>portscan bench --report</c> writes: the raw runs and the table, as JSON or CSV.</summary>
public sealed record BenchReport(
    string Scanner,
    string Version,
    DateTimeOffset StartedAt,
    BenchMachine Machine,
    string Target,
    string Ports,
    int PortCount,
    int TimeoutMs,
    int Concurrency,
    string Schedule,
    int Repeat,
    IReadOnlyList<BenchRun> Runs,
    IReadOnlyList<BenchResult> Results)
{
    public static BenchReport From(DateTimeOffset startedAt, string target, IReadOnlyList<Trial> trials, IReadOnlyList<SpeedupRow> rows, int repeat)
    {
        var first = trials[0];
        var request = first.Result.Request;
        var firstOpen = first.OpenPorts;
        return new BenchReport(
            "portscan",
            ProductVersion.Current,
            startedAt,
            new BenchMachine(Environment.ProcessorCount, Environment.OSVersion.VersionString, Environment.Version.ToString()),
            target,
            request.Ports.ToString(),
            request.Ports.Count,
            request.Probes.TimeoutMs,
            first.Concurrency,
            request.Schedule.Name,
            repeat,
            [.. trials.Select(t => new BenchRun(t.Workers, t.Repeat, Math.Round(t.Seconds, 4),
                t.Result.Summary.Open, t.Result.Summary.Closed, t.Result.Summary.Filtered, t.Result.Summary.Unscanned, t.OpenPorts.SetEquals(firstOpen)))],
            [.. rows.Select(r => new BenchResult(r.Workers, Math.Round(r.MedianSeconds, 4), Math.Round(r.MinSeconds, 4), Math.Round(r.MaxSeconds, 4),
                Math.Round(r.PortsPerSecond, 1), Math.Round(r.Speedup, 3), Math.Round(r.Efficiency, 3)))]);
    }

    /// <summary>JSON for a <c>.json</c> file, CSV for anything else (the command checks the extension first).</summary>
    public void Write(TextWriter writer, string path)
    {
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteLine(JsonSerializer.Serialize(this, BenchReportContext.Default.BenchReport));
            return;
        }
        // One CSV for both: a "run" row per scan, a "result" row per worker count.
        var csv = new StringBuilder("kind,workers,repeat,seconds,median_seconds,min_seconds,max_seconds,ports_per_second,speedup,efficiency,open,closed,filtered,unscanned,open_set_matches\n");
        foreach (var run in Runs)
        {
            csv.Append(CultureInfo.InvariantCulture, $"run,{run.Workers},{run.Repeat},{run.Seconds},,,,,,,{run.Open},{run.Closed},{run.Filtered},{run.Unscanned},{(run.OpenSetMatchesFirst ? "true" : "false")}\n");
        }
        foreach (var result in Results)
        {
            csv.Append(CultureInfo.InvariantCulture, $"result,{result.Workers},,,{result.MedianSeconds},{result.MinSeconds},{result.MaxSeconds},{result.PortsPerSecond},{result.Speedup},{result.Efficiency},,,,,\n");
        }
        writer.Write(csv.ToString());
    }

    public static BenchReport Parse(string json) =>
        JsonSerializer.Deserialize(json, BenchReportContext.Default.BenchReport) ?? throw new JsonException("the document is null");
}

public sealed record BenchMachine(int Cores, string Os, string Runtime);

public sealed record BenchRun(int Workers, int Repeat, double Seconds, int Open, int Closed, int Filtered, int Unscanned, bool OpenSetMatchesFirst);

public sealed record BenchResult(int Workers, double MedianSeconds, double MinSeconds, double MaxSeconds, double PortsPerSecond, double Speedup, double Efficiency);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchReportContext : JsonSerializerContext;
