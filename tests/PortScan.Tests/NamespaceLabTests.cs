using PortScan.Coordinator.Lab;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>The --netns lab: a real host in a network namespace the test creates (root only).</summary>
public class NamespaceLabTests
{
    [Test]
    public async Task Namespace_host_has_open_closed_and_filtered_ports_and_is_removed_afterwards()
    {
        RequireRootAndNft();

        var lab = await NamespaceLab.StartAsync(open: 2, filtered: 3, firstPort: 20000, CancellationToken.None);
        try
        {
            var address = lab.Address.GetAddressBytes();
            address[0].ShouldBe((byte)198, "the lab host's address lies in 198.18.0.0/15");
            address[1].ShouldBeOneOf((byte)18, (byte)19);
            File.Exists($"/run/netns/{lab.NamespaceName}").ShouldBeTrue();
            lab.NamespaceName.ShouldStartWith($"portscan-lab-{Environment.ProcessId}-", customMessage: "the owner's pid comes first, for removing abandoned labs");
            foreach (var port in new[] { 20000, 20001, 20002, 20004, 20005, 33333 })
            {
                (await PortProbe.ConnectAsync(lab.Address, port, TimeSpan.FromMilliseconds(400))).ShouldBe(lab.ExpectedState(port), $"port {port}");
            }
        }
        finally
        {
            await lab.DisposeAsync();
        }
        await ShouldBeGoneAsync(lab);
    }

    [Test]
    public async Task Two_labs_in_one_process_get_their_own_namespace_and_address_and_are_both_removed()
    {
        RequireRootAndNft();

        var labs = await Task.WhenAll(
            NamespaceLab.StartAsync(open: 1, filtered: 1, firstPort: 20000, CancellationToken.None),
            NamespaceLab.StartAsync(open: 1, filtered: 1, firstPort: 20000, new LabConditions(latency: TimeSpan.FromMilliseconds(20)), CancellationToken.None));
        try
        {
            labs[0].NamespaceName.ShouldNotBe(labs[1].NamespaceName);
            labs[0].Address.ShouldNotBe(labs[1].Address);
            labs[0].HostInterface.ShouldNotBe(labs[1].HostInterface);
            foreach (var lab in labs)
            {
                foreach (var port in new[] { 20000, 20001, 20002 })
                {
                    (await PortProbe.ConnectAsync(lab.Address, port, TimeSpan.FromMilliseconds(400))).ShouldBe(lab.ExpectedState(port), $"{lab.Address} port {port}");
                }
            }
        }
        finally
        {
            await Task.WhenAll(labs.Select(lab => lab.DisposeAsync().AsTask()));
        }
        foreach (var lab in labs)
        {
            await ShouldBeGoneAsync(lab);
        }
    }

    [Test]
    public async Task Labs_left_by_a_process_that_is_gone_are_removed_by_the_next_lab()
    {
        RequireRootAndNft();
        var gone = Enumerable.Range(4_000_000, 1000).First(pid => !Directory.Exists($"/proc/{pid}"));
        // Both spellings: portscan-lab-PID-N, and portscan-lab-PID from before several labs a process.
        string[] abandoned = [$"portscan-lab-{gone}-1", $"portscan-lab-{gone}"];
        foreach (var name in abandoned)
        {
            (await ProcessRun.RunAsync("ip", ["netns", "add", name])).ExitCode.ShouldBe(0);
        }

        await using (await NamespaceLab.StartAsync(0, 0, 20000, CancellationToken.None))
        {
            abandoned.ShouldAllBe(name => !File.Exists($"/run/netns/{name}"));
        }
    }

    internal static void RequireRootAndNft()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("the --netns lab needs root (ip netns add, nft)");
        }
        if (!File.Exists("/usr/sbin/nft") && !File.Exists("/sbin/nft") && !File.Exists("/usr/bin/nft"))
        {
            Assert.Ignore("nft is not installed (apt-get install nftables)");
        }
    }

    /// <summary>No namespace, and no host-side link (veth or the delay line's TUN device) left behind.</summary>
    internal static async Task ShouldBeGoneAsync(NamespaceLab lab)
    {
        File.Exists($"/run/netns/{lab.NamespaceName}").ShouldBeFalse("the namespace is removed");
        var links = await ProcessRun.RunAsync("ip", ["-br", "link"]);
        links.ExitCode.ShouldBe(0, links.ToString());
        links.StdoutLines.Select(line => line.Split(' ', '@')[0]).ShouldNotContain(lab.HostInterface, "the host side of the link is removed");
    }
}
