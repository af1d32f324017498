using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Lab;
using PortScan.Shared.Ports;

namespace PortScan.Tests;

/// <summary>The --netns lab: a real host in a network namespace the test creates (root only).</summary>
public class NamespaceLabTests
{
    private static async Task<PortState> ConnectAsync(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return PortState.Open;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PortState.Closed;
        }
        catch (OperationCanceledException)
        {
            return PortState.Filtered;
        }
    }

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
                (await ConnectAsync(lab.Address, port)).ShouldBe(lab.ExpectedState(port), $"port {port}");
            }
        }
        finally
        {
            await lab.DisposeAsync();
        }
        File.Exists(name).ShouldBeFalse("the namespace is removed");
    }
}
