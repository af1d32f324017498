using System.Net;
using System.Net.Sockets;
using PortScan.Shared.Ports;
using PortScan.Tests.Support;

namespace PortScan.Tests;

public class LabTargetTests
{
    [Test]
    public async Task Really_produces_open_closed_and_filtered_ports()
    {
        await using var lab = TestLab.Start(open: 2, closed: 2, filtered: 2);

        foreach (var port in Enumerable.Range(lab.Ports.Start, lab.Ports.Count))
        {
            (await PortProbe.ConnectAsync(IPAddress.Loopback, port, TimeSpan.FromMilliseconds(300))).ShouldBe(lab.ExpectedState(port), $"port {port}");
        }
    }

    [Test]
    public async Task An_open_port_keeps_accepting_after_many_connections()
    {
        await using var lab = TestLab.Start(open: 1, closed: 0, filtered: 0);

        for (var i = 0; i < 600; i++)
        {
            (await PortProbe.ConnectAsync(IPAddress.Loopback, lab.Ports.Start, TimeSpan.FromMilliseconds(300))).ShouldBe(PortState.Open, $"connection {i}");
        }
    }

    [Test]
    public async Task Releases_every_port_when_disposed()
    {
        var lab = TestLab.Start(open: 1, closed: 1, filtered: 1);
        var ports = lab.Ports;
        await lab.DisposeAsync();

        foreach (var port in Enumerable.Range(ports.Start, ports.Count))
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Should.NotThrow(() => socket.Bind(new IPEndPoint(IPAddress.Loopback, port)), $"port {port} is free again");
        }
    }
}
