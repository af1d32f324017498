using System.Net;
using PortScan.Shared.Ports;
using PortScan.Shared.Work;

namespace PortScan.Tests;

/// <summary>The scan's hosts × ports: a host's index found from its address, and the limits of one scan.</summary>
public class WorkListTests
{
    private static readonly PortSelection OnePort = PortSelection.OfTcp(PortSet.Of(new PortRange(22, 22)));

    [Test]
    public void Every_host_is_found_at_its_index_in_runs_scattered_and_out_of_order_and_others_are_not()
    {
        // Runs of consecutive addresses given out of order, single hosts between them, IPv6 with and without a scope.
        string[] text = ["127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.1", "::1", "127.0.0.3", "127.0.0.4", "fe80::1%2", "fe80::1", "fe80::2", "10.0.0.255", "10.0.1.0"];
        var hosts = text.Select(IPAddress.Parse).ToArray();

        var work = new WorkList(hosts, OnePort);

        hosts.Select(work.HostIndex).ShouldBe(Enumerable.Range(0, hosts.Length), "each host at its place in the list");
        string[] absent = ["127.0.0.2", "127.0.0.5", "127.0.0.8", "127.0.0.12", "127.0.0.0", "::2", "::", "fe80::1%3", "fe80::3", "fe80::2%2", "10.0.0.254", "10.0.1.1", "0.0.0.0", "255.255.255.255"];
        absent.Select(a => work.HostIndex(IPAddress.Parse(a))).ShouldAllBe(index => index == -1, "addresses next to the runs, and of another scope, are not hosts of the scan");
    }

    [TestCase("127.0.0.1,127.0.0.2,127.0.0.1", "127.0.0.1")]
    [TestCase("127.0.0.5,127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6", "127.0.0.5")]
    [TestCase("127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.2,127.0.0.3,127.0.0.4", "127.0.0.2")]
    [TestCase("fe80::1%2,fe80::1%2", "fe80::1%2")]
    public void A_host_listed_twice_is_refused_even_inside_a_run(string list, string twice)
    {
        var hosts = list.Split(',').Select(IPAddress.Parse).ToArray();

        var error = Should.Throw<ArgumentException>(() => new WorkList(hosts, OnePort));

        error.Message.ShouldStartWith($"host {twice} is listed twice");
    }

    [Test]
    public void A_worker_takes_a_twelfth_of_hosts_and_not_one_more()
    {
        WorkSet.TryParse("127.0.0.0-127.15.255.255 22", out var work, out _).ShouldBeTrue();
        work.Count.ShouldBe(1_048_576);

        WorkSet.TryParse("127.0.0.0-127.16.0.0 22", out _, out var error).ShouldBeFalse();
        error.ShouldContain("names more than 1048576 addresses");
    }

    [Test]
    public void The_limits_are_a_twelfth_and_two_billion_host_ports_below_the_reach_of_int_positions()
    {
        WorkList.MaxHosts.ShouldBe(1_048_576, "a /12");
        WorkList.TooMany(WorkList.MaxHosts, 1_907).ShouldBeNull("a /12 at 1,907 ports is 1,999,634,432 host-ports");
        WorkList.TooMany(WorkList.MaxHosts, 1_908).ShouldBe("1,048,576 hosts × 1,908 ports is more than the 2,000,000,000 host-ports one scan holds; split the scan");
        ((long)WorkList.MaxCount).ShouldBeLessThan(int.MaxValue, "positions are ints");
    }
}
