using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--max-rate: attempts a second across all workers, held over a few hundred ports the test's lab holds.</summary>
public class MaxRateTests
{
    [TestCase(1)]
    [TestCase(2)]
    public async Task The_scan_never_goes_faster_than_the_rate_asked_for(int workers)
    {
        await using var lab = TestLab.Start(open: 0, closed: 300, filtered: 0);

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{lab.Ports.Start}-{lab.Ports.End}",
            "--max-rate", "200", "-w", $"{workers}", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        var report = JsonReport.Parse(run.Stdout);
        report.Probes.MaxRate.ShouldBe(200);
        report.Hosts[0].Counts.Closed.ShouldBe(300);
        // 300 attempts at 200 a second span 299 / 200 = 1.5 s; 10 % over the rate would be 1.36 s.
        // The upper bound is generous: start-up and a slow machine only add time.
        var seconds = report.ElapsedMs / 1000;
        seconds.ShouldBeGreaterThanOrEqualTo(299 / 220.0, $"{300 / seconds:0} attempts a second");
        seconds.ShouldBeLessThan(15);
    }

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("fast")]
    public async Task A_rate_that_is_not_a_positive_number_is_one_line_and_exit_2(string rate)
    {
        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", "1", "--max-rate", rate);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("--max-rate");
    }
}
