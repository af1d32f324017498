using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;

namespace PortScan.Tests;

public class SlicePlannerTests
{
    [Test]
    public void Splits_1_to_500_over_10_workers_into_slices_of_50()
    {
        var slices = SlicePlanner.Plan(PortSet.Of(new PortRange(1, 500)), 10);

        slices.Select(s => (s.Ports.First, s.Ports.Last)).ShouldBe(
            Enumerable.Range(0, 10).Select(i => ((i * 50) + 1, (i + 1) * 50)));
    }

    [Test]
    public void Gives_the_remainder_of_the_full_range_to_the_last_of_100_workers()
    {
        var slices = SlicePlanner.Plan(PortSet.All, 100);

        slices.Count.ShouldBe(100);
        slices.Take(99).ShouldAllBe(s => s.Ports.Count == 655);
        slices[^1].Ports.ShouldBe(PortSet.Of(new PortRange(64846, 65535)));
        slices[^1].Ports.Count.ShouldBe(690);
    }

    [Test]
    public void Clamps_the_worker_count_to_the_number_of_ports()
    {
        var slices = SlicePlanner.Plan(PortSet.Of(new PortRange(80, 82)), 8);

        slices.Select(s => s.Ports.ToString()).ShouldBe(["80", "81", "82"]);
    }

    [Test]
    public void Refuses_fewer_than_one_worker()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SlicePlanner.Plan(PortSet.All, 0));
    }

    [Test]
    public void Slices_are_contiguous_disjoint_ordered_and_cover_the_range_exactly_for_many_inputs()
    {
        var random = new Random(20261121);
        for (var trial = 0; trial < 5000; trial++)
        {
            var start = random.Next(1, 65536);
            var end = random.Next(start, Math.Min(65535, start + random.Next(0, 3) switch { 0 => 10, 1 => 1000, _ => 65535 }) + 1);
            var workers = random.Next(1, 300);
            var range = new PortRange(start, end);

            var slices = SlicePlanner.Plan(PortSet.Of(range), workers);

            var context = $"range {range}, {workers} workers";
            slices.Count.ShouldBe(Math.Min(workers, range.Count), context);
            slices[0].Ports.First.ShouldBe(start, context);
            slices[^1].Ports.Last.ShouldBe(end, context);
            for (var i = 0; i < slices.Count; i++)
            {
                slices[i].Worker.ShouldBe(i, context);
                slices[i].Ports.Count.ShouldBeGreaterThan(0, context);
                if (i > 0)
                {
                    slices[i].Ports.First.ShouldBe(slices[i - 1].Ports.Last + 1, $"{context}: slice {i} must start right after slice {i - 1}");
                }
            }
            slices.Sum(s => s.Ports.Count).ShouldBe(range.Count, context);
        }
    }

    [Test]
    public void Splits_a_port_list_by_position_with_the_same_arithmetic()
    {
        // 22,80,443 and 8000-8006: 10 ports, 3 workers of 3, the last also takes the remainder of 1.
        PortSet.TryParse("22,80,443,8000-8006", out var ports, out _).ShouldBeTrue();

        var slices = SlicePlanner.Plan(ports, 3);

        slices.Select(s => s.Ports.ToString()).ShouldBe(["22,80,443", "8000-8002", "8003-8006"]);
    }

    [Test]
    public void Slices_of_random_port_sets_are_disjoint_ordered_and_cover_the_set_exactly()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 500; trial++)
        {
            var ranges = Enumerable.Range(0, random.Next(1, 20)).Select(_ =>
            {
                var start = random.Next(1, 65536);
                return new PortRange(start, Math.Min(65535, start + random.Next(0, 500)));
            });
            var ports = PortSet.Of(ranges);
            var workers = random.Next(1, 64);

            var slices = SlicePlanner.Plan(ports, workers);

            slices.SelectMany(s => s.Ports.Ports()).ShouldBe(ports.Ports(), $"{ports}, {workers} workers");
            slices.Take(slices.Count - 1).ShouldAllBe(s => s.Ports.Count == ports.Count / slices.Count);
        }
    }
}
