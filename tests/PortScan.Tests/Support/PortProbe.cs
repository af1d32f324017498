using System.Net;
using System.Net.Sockets;
using PortScan.Shared.Ports;

namespace PortScan.Tests.Support;

/// <summary>An independent check of a port's state with a plain .NET connect, to test the labs without the scanner.</summary>
public static class PortProbe
{
    public static async Task<PortState> ConnectAsync(IPAddress address, int port, TimeSpan timeout)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancel.Token);
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
}
