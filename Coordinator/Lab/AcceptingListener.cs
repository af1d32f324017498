using System.Net.Sockets;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// Keeps a lab's open port open: accepts every connection and closes it at once. Without this the
/// accept queue fills with connections the scanner already reset, and the port turns "filtered".
/// </summary>
internal static class AcceptingListener
{
    public static async Task RunAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The lab is shutting down.
        }
    }
}
