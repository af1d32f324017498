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
        if (Environment.UserName != "root")
        {
            Assert.Ignore("the --netns lab needs root (ip netns add, nft)");
        }
        if (!File.Exists("/usr/sbin/nft") && !File.Exists("/sbin/nft") && !File.Exists("/usr/bin/nft"))
        {
            Assert.Ignore("nft is not installed (apt-get install nftables)");
        }

        var lab = await NamespaceLab.StartAsync(open: 2, filtered: 3, firstPort: 20000, CancellationToken.None);
        var name = $"/run/netns/portscan-lab-{Environment.ProcessId}";
        try
        {
            var address = lab.Address.GetAddressBytes();
            address[0].ShouldBe((byte)198, "the lab host's address lies in 198.18.0.0/15");
            address[1].ShouldBeOneOf((byte)18, (byte)19);
            File.Exists(name).ShouldBeTrue();
            foreach (var port in new[] { 20000, 20001, 20002, 20004, 20005, 33333 })
            {
                (await PortProbe.ConnectAsync(lab.Address, port, TimeSpan.FromMilliseconds(400))).ShouldBe(lab.ExpectedState(port), $"port {port}");
            }
        }
        finally
        {
            await lab.DisposeAsync();
        }
        File.Exists(name).ShouldBeFalse("the namespace is removed");
    }
}
