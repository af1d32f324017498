using System.Net;
using PortScan.Shared.Ports;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;

namespace PortScan.Tests;

public class SlicePlannerTests
{
    private static readonly IPAddress Host = IPAddress.Loopback;

    /// <summary>One host's slices, as the port sets each worker gets.</summary>
    private static List<(int Worker, PortSet Ports)> Plan(PortSet ports, int workers) =>
        [.. SlicePlanner.Plan(new WorkList([Host], PortSelection.OfTcp(ports)), workers).Select(s =>
        {
            var segment = s.Work.Segments.ShouldHaveSingleItem();
            segment.Hosts.ShouldBe([Host]);
            segment.Ports.Udp.IsEmpty.ShouldBeTrue();
            return (s.Worker, segment.Ports.Tcp);
        })];

    [Test]
    public void Splits_1_to_500_over_10_workers_into_slices_of_50()
    {
        var slices = Plan(PortSet.Of(new PortRange(1, 500)), 10);

        slices.Select(s => (s.Ports.First, s.Ports.Last)).ShouldBe(
            Enumerable.Range(0, 10).Select(i => ((i * 50) + 1, (i + 1) * 50)));
    }

    [Test]
    public void Gives_the_remainder_of_the_full_range_to_the_last_of_100_workers()
    {
        var slices = Plan(PortSet.All, 100);

        slices.Count.ShouldBe(100);
        slices.Take(99).ShouldAllBe(s => s.Ports.Count == 655);
        slices[^1].Ports.ShouldBe(PortSet.Of(new PortRange(64846, 65535)));
        slices[^1].Ports.Count.ShouldBe(690);
    }

    [Test]
    public void Clamps_the_worker_count_to_the_number_of_ports()
    {
        var slices = Plan(PortSet.Of(new PortRange(80, 82)), 8);

        slices.Select(s => s.Ports.ToString()).ShouldBe(["80", "81", "82"]);
    }

    [Test]
    public void Refuses_fewer_than_one_worker()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SlicePlanner.Plan(65535, 0));
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

            var slices = Plan(PortSet.Of(range), workers);

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

        var slices = Plan(ports, 3);

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

            var slices = Plan(ports, workers);

            slices.SelectMany(s => s.Ports.Ports()).ShouldBe(ports.Ports(), $"{ports}, {workers} workers");
            slices.Take(slices.Count - 1).ShouldAllBe(s => s.Ports.Count == ports.Count / slices.Count);
        }
    }

    [Test]
    public void Splits_hosts_times_ports_as_one_list_host_by_host()
    {
        // 3 hosts × 10 ports = 30 positions over 4 workers: 7, 7, 7 and 9; slices cross host boundaries.
        IPAddress[] hosts = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")];

        var slices = SlicePlanner.Plan(new WorkList(hosts, PortSelection.OfTcp(PortSet.Of(new PortRange(1, 10)))), 4);

        slices.Select(s => s.Work.ToString()).ShouldBe([
            "127.0.0.1 1-7",
            "127.0.0.1 8-10; 127.0.0.2 1-4",
            "127.0.0.2 5-10; 127.0.0.3 1",
            "127.0.0.3 2-10",
        ]);
        slices.Select(s => (s.Bounds.Start, s.Bounds.Count)).ShouldBe([(0, 7), (7, 7), (14, 7), (21, 9)]);
    }

    [Test]
    public void Whole_hosts_inside_a_slice_are_one_segment_written_as_an_address_range()
    {
        var hosts = Enumerable.Range(1, 8).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();

        var slices = SlicePlanner.Plan(new WorkList(hosts, PortSelection.OfTcp(PortSet.Of(new PortRange(1, 100)))), 3);

        slices.Select(s => s.Work.ToString()).ShouldBe([
            "127.0.0.1-127.0.0.2 1-100; 127.0.0.3 1-66",
            "127.0.0.3 67-100; 127.0.0.4-127.0.0.5 1-100; 127.0.0.6 1-32",
            "127.0.0.6 33-100; 127.0.0.7-127.0.0.8 1-100",
        ]);
    }

    [Test]
    public void Slices_of_random_host_lists_cover_every_host_port_once_in_order()
    {
        var random = new Random(29);
        for (var trial = 0; trial < 300; trial++)
        {
            var hosts = Enumerable.Range(0, random.Next(1, 12))
                .Select(i => random.Next(2) == 0 ? IPAddress.Parse($"127.0.{i}.{random.Next(256)}") : IPAddress.Parse($"::{i + 1:x}"))
                .ToArray();
            PortSet RandomPorts(int minRanges) => PortSet.Of(Enumerable.Range(0, random.Next(minRanges, 6)).Select(_ =>
            {
                var start = random.Next(1, 65000);
                return new PortRange(start, start + random.Next(0, 40));
            }));
            var ports = new PortSelection(RandomPorts(1), RandomPorts(0)); // UDP ports in about five trials of six
            var work = new WorkList(hosts, ports);
            var workers = random.Next(1, 40);

            var slices = SlicePlanner.Plan(work, workers);

            var expected = hosts.SelectMany(h => ports.Ports().Select(p => (h, p.Transport, p.Port)));
            slices.SelectMany(s => s.Work.Items()).ShouldBe(expected, $"{hosts.Length} hosts, {ports}, {workers} workers");
            slices.Take(slices.Count - 1).ShouldAllBe(s => s.Work.Count == work.Count / slices.Count);
            slices.ShouldAllBe(s => s.Work.Count == s.Bounds.Count);
        }
    }
}
