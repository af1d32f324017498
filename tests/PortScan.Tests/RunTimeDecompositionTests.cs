using PortScan.Coordinator.Benchmarking;
using PortScan.Tests.Support;

namespace PortScan.Tests;

public class RunTimeDecompositionTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void Start_up_useful_work_imbalance_and_wind_down_add_up_to_the_wall_time()
    {
        // The issue's demo: worker 0 done in 0.29 s, the others near 2 s.
        var timeline = new WorkerTimeline(S(2.05), [
            new TimelineLane(0, S(0.01), S(0.10), S(0.29)),
            new TimelineLane(1, S(0.02), S(0.12), S(1.95)),
            new TimelineLane(2, S(0.03), S(0.14), S(2.00)),
        ]);

        var parts = RunTimeDecomposition.Of(timeline);

        (parts.StartUp + parts.Useful + parts.Imbalance + parts.WindDown).TotalSeconds.ShouldBe(2.05, 1e-6);
        parts.StartUp.TotalSeconds.ShouldBe(0.12, 1e-6);
        parts.Imbalance.TotalSeconds.ShouldBe(2.00 - ((0.29 + 1.95 + 2.00) / 3), 1e-6);
        parts.WindDown.TotalSeconds.ShouldBe(0.05, 1e-6);
    }

    [Test]
    public void A_timeline_line_shows_start_up_scanning_and_idle_in_proportion()
    {
        var timeline = new WorkerTimeline(S(4), [new TimelineLane(0, S(0), S(1), S(2)), new TimelineLane(1, S(0), S(1), S(4))]);

        var lines = TimelineChart.Lines(timeline, 80);

        var fast = lines[0][(lines[0].IndexOf('│') + 1)..lines[0].LastIndexOf('│')];
        ((double)fast.Count(c => c == '░')).ShouldBe(fast.Length / 4.0, 1.0);
        ((double)fast.Count(c => c == '█')).ShouldBe(fast.Length / 4.0, 1.0);
        ((double)fast.Count(c => c == '·')).ShouldBe(fast.Length / 2.0, 1.0);
        lines.ShouldAllBe(l => l.Length <= 80);
    }

    [Test]
    public async Task A_real_run_s_timeline_adds_up_to_its_measured_wall_time()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("bench", "--lab", "-w", "1,2", "--repeat", "1", "-c", "1", "--timeout", "20ms",
            "--open", "1", "--closed", "2", "--filtered", "5");

        exit.ShouldBe(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        var sums = stdout.Split('\n').Where(l => l.Contains(" wind-down", StringComparison.Ordinal)).ToList();
        sums.Count.ShouldBe(2, stdout);
        foreach (var sum in sums)
        {
            var numbers = System.Text.RegularExpressions.Regex.Matches(sum, @"(\d+\.\d+)").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            numbers.Skip(1).Sum().ShouldBe(numbers[0], 0.021, $"the parts, each rounded to 0.01 s, add up to the wall: {sum}");
        }
        stdout.ShouldContain("worker 1 │");
    }
}
