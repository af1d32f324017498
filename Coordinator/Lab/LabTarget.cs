using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Platform;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// A scan target made of this process's own sockets on loopback, with a known answer for every port:
/// <list type="bullet">
/// <item>open: a listener that accepts and closes each connection;</item>
/// <item>closed: a port bound but never listening, so a SYN gets a reset (and no one else can take the port);</item>
/// <item>
/// filtered: a listener with a backlog of 0 whose one queue slot is taken by a filler connection
/// that is never accepted. Linux then drops further SYNs, so a connect waits for its timeout exactly
/// as against a firewall that drops packets; no root needed. Costs two descriptors a port.
/// </item>
/// </list>
/// The kinds lie in three adjacent contiguous blocks: open, then closed, then filtered.
/// </summary>
public sealed class LabTarget : IAsyncDisposable
{
    public const int DefaultFirstPort = 20000;

    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _acceptLoops = [];

    private LabTarget(IPAddress address) => Address = address;

    public IPAddress Address { get; }
    public PortRange? Open { get; private set; }
    public PortRange? Closed { get; private set; }
    public PortRange? Filtered { get; private set; }

    /// <summary>All ports of the lab, from the first open one to the last filtered one.</summary>
    public PortRange Ports { get; private set; }

    public static LabTarget Start(IPAddress address, int open, int closed, int filtered, int firstPort = DefaultFirstPort)
    {
        if (!IPAddress.IsLoopback(address))
        {
            throw new UsageException($"a lab target lives on loopback only, not {address}");
        }
        var total = open + closed + filtered;
        if (total < 1)
        {
            throw new UsageException("a lab target needs at least one port");
        }
        if (firstPort + total - 1 > PortRange.MaxPort)
        {
            throw new UsageException($"{total} lab ports starting at {firstPort} go past port {PortRange.MaxPort}");
        }
        var descriptors = FileDescriptorLimit.RaiseSoftToHard();
        var needed = open + closed + (2 * filtered) + FileDescriptorLimit.Reserve;
        if (needed > descriptors)
        {
            throw new UsageException($"the open-file limit ({descriptors}) is too low for this lab: it needs about {needed} descriptors (a filtered port takes two)");
        }

        var lab = new LabTarget(address);
        try
        {
            var block = lab.BindBlock(firstPort, total);
            lab.Ports = new PortRange(block[0].Port(), block[^1].Port());
            var i = 0;
            lab.Open = open > 0 ? lab.MakeOpen(block[i..(i += open)]) : null;
            lab.Closed = closed > 0 ? Range(block[i..(i += closed)]) : null;
            lab.Filtered = filtered > 0 ? lab.MakeFiltered(block[i..]) : null;
            return lab;
        }
        catch
        {
            lab.CloseAll();
            throw;
        }
    }

    public PortState ExpectedState(int port) =>
        Open?.Contains(port) == true ? PortState.Open
        : Filtered?.Contains(port) == true ? PortState.Filtered
        : PortState.Closed;

    /// <summary>Binds <paramref name="count"/> adjacent ports, moving past any port something else holds.</summary>
    private Socket[] BindBlock(int firstPort, int count)
    {
        var block = new List<Socket>(count);
        var port = firstPort;
        while (block.Count < count)
        {
            if (port > PortRange.MaxPort)
            {
                throw new UsageException($"no {count} adjacent free ports on {Address} from {firstPort} up");
            }
            var socket = new Socket(Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(Address, port));
                block.Add(socket);
            }
            catch (SocketException)
            {
                socket.Dispose();
                block.ForEach(s => s.Dispose());
                block.Clear();
            }
            port++;
        }
        _sockets.AddRange(block);
        return [.. block];
    }

    private PortRange MakeOpen(Socket[] sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Listen(512);
            _acceptLoops.Add(AcceptingListener.RunAsync(socket, _stop.Token));
        }
        return Range(sockets);
    }

    private PortRange MakeFiltered(Socket[] listeners)
    {
        foreach (var listener in listeners)
        {
            listener.Listen(0);
            var filler = new Socket(Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _sockets.Add(filler);
            filler.Connect(listener.LocalEndPoint!);
        }
        return Range(listeners);
    }

    private static PortRange Range(Socket[] sockets) => new(sockets[0].Port(), sockets[^1].Port());

    private void CloseAll()
    {
        _stop.Cancel();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        _sockets.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        CloseAll();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stop.Dispose();
    }
}

internal static class SocketPorts
{
    public static int Port(this Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
