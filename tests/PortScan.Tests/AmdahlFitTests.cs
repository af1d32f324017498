using PortScan.Coordinator.Benchmarking;

namespace PortScan.Tests;

public class AmdahlFitTests
{
    private static readonly int[] Doubling = [1, 2, 4, 8, 16];

    private static SpeedupRow Row(int workers, double seconds, double baseline) => new(workers, seconds, seconds, seconds, 0, baseline / seconds, 0);

    [TestCase(0.0)]
    [TestCase(0.1)]
    [TestCase(0.37)]
    public void Runs_that_follow_amdahl_s_law_give_back_its_serial_fraction(double serial)
    {
        var rows = Doubling.Select(n => Row(n, 10 * (serial + ((1 - serial) / n)), 10)).ToList();

        var fit = AmdahlFit.Of(rows);

        fit.ShouldNotBeNull();
        fit.SerialFraction.ShouldBe(serial, 1e-9);
        fit.PredictedSpeedup(8).ShouldBe(rows[3].Speedup, 1e-9);
    }

    [Test]
    public void Noisy_runs_give_the_least_squares_fraction()
    {
        // x = 1 - 1/n, y = T/T1 - 1/n: n=2 → x 0.5, y 0.6-0.5 = 0.1; n=4 → x 0.75, y 0.4-0.25 = 0.15. s = (0.05+0.1125)/(0.25+0.5625).
        var rows = new[] { Row(1, 10, 10), Row(2, 6, 10), Row(4, 4, 10) };

        AmdahlFit.Of(rows)!.SerialFraction.ShouldBe(0.1625 / 0.8125, 1e-9);
    }

    [Test]
    public void One_worker_count_decides_nothing()
    {
        AmdahlFit.Of([Row(4, 3, 3)]).ShouldBeNull();
    }
}
