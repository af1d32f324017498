using PortScan.Coordinator.Benchmarking;
using PortScan.Coordinator.Cli;

using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>demo and bench, run in-process through the real entry point (real worker processes).</summary>
public class TeachingCommandsTests
{
    [Test]
    public async Task Demo_runs_to_completion_and_every_run_finds_the_planted_ports()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("demo", "--timeout", "20ms", "-w", "4");

        exit.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        stdout.ShouldContain("Timing: fixed timeout 20 ms, no retries (the article's), in every run");
        stdout.ShouldContain("Run 1/5: article mode, 1 worker");
        stdout.ShouldContain("Run 2/5: article mode, 4 workers");
        stdout.ShouldContain("Run 3/5: article mode, 4 workers, dealt round-robin");
        stdout.ShouldMatch(@"(?m)^\s+1\s+\d+\s+\d+\s+16\s+\d+-\d+/4\s*$", "the cyclic run shows its slices: worker 1 takes every 4th of the 64 ports");
        stdout.ShouldContain("Run 4/5: article mode, 4 workers, chunks on request");
        stdout.ShouldContain("chunks of 2 ports (--schedule dynamic, OpenMP's schedule(dynamic,2)", customMessage: "64 ports / (4 workers × 8)");
        stdout.ShouldMatch(@"(?m)^\s+worker [0-3] took \d+ chunks in \d+\.\d\d s: \d+ open, \d+ closed, \d+ filtered$", "each dynamic worker says how many chunks it took");
        stdout.ShouldContain("Run 5/5: async engine");
        stdout.Split('\n').Count(l => l.Contains("exactly the ports the lab planted", StringComparison.Ordinal)).ShouldBe(5);
        stdout.ShouldMatch(@"Dealt\s+round-robin,\s+every\s+worker\s+got\s+a\s+share\s+of\s+them", "the closing text compares the schedules");
        stdout.ShouldMatch(@"Handed\s+out\s+in\s+chunks\s+on\s+request,\s+each\s+worker\s+took\s+what\s+it\s+could:\s+\d+\.\dx");
        stdout.ShouldMatch(@"(?m)^│ dynamic\s+│ 4 ", "the table names each run by its schedule, short enough for 80 columns");
        stdout.ShouldMatch(@"mostly\s+start-up,\s+which\s+no\s+schedule\s+can\s+share\s+out;[^.]*ten\s+times\s+the\s+ports:\s+\S.*demo\s+--closed\s+300\s+--filtered\s+320",
            "at 20 ms a port start-up outweighs the work, and the demo says how to see past it");
        stdout.ShouldContain("speedup");
        stdout.ShouldContain("WORKER  FIRST   LAST  PORTS  SLICE", customMessage: "the slice table is shown");
    }

    [Test]
    public async Task Bench_deals_the_ports_round_robin_with_schedule_cyclic_and_its_report_says_so()
    {
        var report = Path.Combine(TestTemp.Directory("bench").FullName, "bench.json");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("bench", "--lab", "-w", "1,4", "--repeat", "1", "-c", "1", "--timeout", "20ms",
            "--open", "2", "--closed", "3", "--filtered", "6", "--schedule", "cyclic", "--report", report);

        exit.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        stdout.ShouldContain("ports dealt round-robin (--schedule cyclic)");
        var document = BenchReport.Parse(File.ReadAllText(report));
        document.Schedule.ShouldBe("cyclic");
        document.Runs.ShouldAllBe(run => run.OpenSetMatchesFirst && run.Unscanned == 0, "every run finds the same open ports, and every port");
    }

    [Test]
    public async Task Bench_hands_out_chunks_with_schedule_dynamic_and_its_report_and_timelines_say_so()
    {
        var directory = TestTemp.Directory("bench");
        var report = Path.Combine(directory.FullName, "bench.json");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("bench", "--lab", "-w", "1,3", "--repeat", "1", "-c", "1", "--timeout", "20ms",
            "--open", "2", "--closed", "3", "--filtered", "6", "--schedule", "dynamic:2", "--report", report, "--svg", Path.Combine(directory.FullName, "bench.svg"));

        exit.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        stdout.ShouldContain("ports handed out in chunks as workers asked (--schedule dynamic:2)");
        var document = BenchReport.Parse(File.ReadAllText(report));
        document.Schedule.ShouldBe("dynamic:2");
        document.Runs.ShouldAllBe(run => run.OpenSetMatchesFirst && run.Unscanned == 0, "every run finds the same open ports, and every port");
        document.Results.Select(r => r.Workers).ShouldBe([1, 3], "a lane a worker, not a slice a chunk: 11 ports make 6 chunks");
        var timelines = File.ReadAllText(Path.Combine(directory.FullName, "bench-timelines.svg"));
        timelines.Split("<title>scanning ").Length.ShouldBe(1 + 1 + 3, "one bar a worker process, however many chunks it took");
        timelines.Split("<title>next attempt at ").Length.ShouldBe(1 + (6 - 1) + (6 - 3), "a tick for every chunk a worker took after its first");
    }

    [Test]
    public async Task Bench_writes_a_json_report_with_runs_and_a_speedup_per_worker_count()
    {
        var directory = TestTemp.Directory("bench");
        var report = Path.Combine(directory.FullName, "bench.json");
        var svg = Path.Combine(directory.FullName, "bench.svg");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("bench", "--lab", "-w", "1,2", "--repeat", "2", "-c", "1", "--timeout", "20ms",
            "--open", "2", "--closed", "3", "--filtered", "6", "--report", report, "--svg", svg);

        exit.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var document = BenchReport.Parse(File.ReadAllText(report));
        document.PortCount.ShouldBe(11);
        document.Concurrency.ShouldBe(1);
        document.Runs.Count.ShouldBe(4);
        document.Runs.ShouldAllBe(r => r.OpenSetMatchesFirst && r.Open == 2 && r.Closed == 3 && r.Filtered == 6 && r.Seconds > 0);
        document.Results.Select(r => r.Workers).ShouldBe([1, 2]);
        document.Results[0].Speedup.ShouldBe(1.0);
        document.Results[1].Speedup.ShouldBeGreaterThan(0);
        File.ReadAllText(svg).ShouldStartWith("<svg");
        File.ReadAllText(svg).ShouldContain("Amdahl, serial", customMessage: "two worker counts decide a serial fraction, drawn as the prediction");
        stdout.ShouldContain("Amdahl's law: a serial fraction of");
        var timelines = File.ReadAllText(Path.Combine(directory.FullName, "bench-timelines.svg"));
        timelines.Split("<title>scanning ").Length.ShouldBe(1 + 1 + 1 + 2 + 2, "one scanning bar per worker of each of the 4 runs");
        timelines.ShouldContain("wind-down");
        stdout.ShouldContain("fixed timeout 20 ms, no retries (the article's)");
        stdout.ShouldContain("Every run found the same open ports.");
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task Bench_writes_csv_with_run_and_result_rows()
    {
        var directory = TestTemp.Directory("bench");
        var report = Path.Combine(directory.FullName, "bench.csv");

        var (exit, _, stderr) = await InProcessCli.RunAsync("bench", "--lab", "-w", "1,3", "--repeat", "1", "--timeout", "20ms",
            "--open", "1", "--closed", "2", "--filtered", "1", "--report", report);

        exit.ShouldBe(0, stderr);
        var lines = File.ReadAllLines(report);
        lines[0].ShouldStartWith("kind,workers,repeat,seconds,median_seconds");
        lines.Count(l => l.StartsWith("run,", StringComparison.Ordinal)).ShouldBe(2);
        lines.Count(l => l.StartsWith("result,", StringComparison.Ordinal)).ShouldBe(2);
        directory.Delete(recursive: true);
    }

    [TestCase("bench")]
    [TestCase("bench", "localhost", "--lab")]
    [TestCase("bench", "--lab", "-w", "1,0")]
    [TestCase("bench", "--lab", "--report", "out.txt")]
    [TestCase("bench", "--lab", "--start-port", "1")]
    [TestCase("demo", "-w", "1")]
    [TestCase("demo", "--timeout", "never")]
    [TestCase("demo", "--svg", "timeline.png")]
    public async Task Bad_input_to_demo_and_bench_is_one_line_and_exit_2(params string[] args)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(args);

        exit.ShouldBe(ExitCodes.BadInput, stderr);
        stderr.TrimEnd('\n').ShouldNotContain('\n');
    }
}
