using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// A lab target that is a real host: its own network namespace, reached over a veth link, with an
/// address from 198.18.0.0/15 (the block reserved for benchmarking). Open ports are listeners made
/// inside the namespace; filtered ports are an nftables drop rule, so they cost no descriptors
/// and can number tens of thousands; every other port is closed. Needs root. Always removed on
/// disposal (Ctrl-C included); a lab left by a killed process is removed by the next one.
/// </summary>
public sealed partial class NamespaceLab : IAsyncDisposable
{
    private const string Prefix = "portscan-lab-";
    private const int CloneNewNet = 0x40000000;

    private readonly string _name;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stop = new();

    private NamespaceLab(string name, IPAddress hostAddress, IPAddress labAddress)
    {
        _name = name;
        HostAddress = hostAddress;
        Address = labAddress;
    }

    /// <summary>The lab host's address, to scan.</summary>
    public IPAddress Address { get; }

    /// <summary>This side of the veth link.</summary>
    public IPAddress HostAddress { get; }

    public PortRange? Open { get; private set; }
    public PortRange? Filtered { get; private set; }

    public static async Task<NamespaceLab> StartAsync(int open, int filtered, int firstPort, CancellationToken cancellationToken)
    {
        if (geteuid() != 0)
        {
            throw new UsageException("--netns needs root (it runs 'ip netns add' and nft)");
        }
        if (firstPort + open + filtered - 1 > PortRange.MaxPort)
        {
            throw new UsageException($"{open + filtered} lab ports starting at {firstPort} go past port {PortRange.MaxPort}");
        }
        await RemoveAbandonedAsync(cancellationToken).ConfigureAwait(false);

        // A /30 of 198.18.0.0/15 chosen by pid, so labs of different processes do not collide.
        var pid = Environment.ProcessId;
        var block = (uint)(pid % 32768) * 4;
        var network = (198u << 24) | (18u << 16);
        var host = ToAddress(network + block + 1);
        var lab = new NamespaceLab($"{Prefix}{pid}", host, ToAddress(network + block + 2));
        var outside = $"psl{pid}h";
        var inside = $"psl{pid}n";
        try
        {
            await RunAsync(["ip", "netns", "add", lab._name], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "link", "set", inside, "netns", lab._name], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "addr", "add", $"{host}/30", "dev", outside], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "link", "set", outside, "up"], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab._name, "addr", "add", $"{lab.Address}/30", "dev", inside], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab._name, "link", "set", inside, "up"], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab._name, "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
            if (filtered > 0)
            {
                lab.Filtered = new PortRange(firstPort + open, firstPort + open + filtered - 1);
                await RunAsync(["ip", "netns", "exec", lab._name, "nft",
                    $"add table inet portscan_lab; add chain inet portscan_lab input {{ type filter hook input priority 0; policy accept; }}; add rule inet portscan_lab input tcp dport {lab.Filtered.Value.Start}-{lab.Filtered.Value.End} drop"], cancellationToken).ConfigureAwait(false);
            }
            if (open > 0)
            {
                lab.Open = new PortRange(firstPort, firstPort + open - 1);
                lab.ListenInside(lab.Open.Value);
            }
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public PortState ExpectedState(int port) =>
        Open?.Contains(port) == true ? PortState.Open
        : Filtered?.Contains(port) == true ? PortState.Filtered
        : PortState.Closed;

    /// <summary>
    /// setns() moves only the calling thread, and a socket stays in the namespace it was made in:
    /// so one short-lived thread enters the namespace and makes the listeners.
    /// </summary>
    private void ListenInside(PortRange ports)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{_name}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns failed (errno {Marshal.GetLastPInvokeError()})");
                }
                for (var port = ports.Start; port <= ports.End; port++)
                {
                    var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    _listeners.Add(listener);
                    listener.Bind(new IPEndPoint(Address, port));
                    listener.Listen(512);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or UnauthorizedAccessException)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new UsageException($"cannot open the lab's listeners in {_name}: {failure.Message}");
        }
        foreach (var listener in _listeners)
        {
            _acceptLoops.Add(AcceptingListener.RunAsync(listener, _stop.Token));
        }
    }

    private static async Task RemoveAbandonedAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists("/run/netns"))
        {
            return;
        }
        foreach (var path in Directory.GetFiles("/run/netns", Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (int.TryParse(name[Prefix.Length..], out var owner) && !Directory.Exists($"/proc/{owner}"))
            {
                await RunAsync(["ip", "netns", "del", name], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunAsync(string[] command, CancellationToken cancellationToken)
    {
        var (fileName, arguments) = (command[0], command[1..]);
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UsageException($"--netns needs '{fileName}' (apt-get install iproute2 nftables)");
        }
        using (process)
        {
            var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new UsageException($"'{fileName} {string.Join(' ', arguments)}' failed: {error.Trim()}");
            }
        }
    }

    private static IPAddress ToAddress(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stop.Dispose();
        // Deleting the namespace deletes the veth pair with it; never cancelled, so cleanup always runs.
        if (File.Exists($"/run/netns/{_name}"))
        {
            await RunAsync(["ip", "netns", "del", _name], CancellationToken.None).ConfigureAwait(false);
        }
    }
}
