using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// A lab target that is a real host: its own network namespace, with an address from
/// 198.18.0.0/15 (the block reserved for benchmarking). Open ports are listeners made inside the
/// namespace; filtered ports are an nftables drop rule, so they cost no descriptors and can number
/// tens of thousands; every other port is closed. <see cref="LabConditions"/> can make its network
/// hostile: loss and a SYN-flood guard by nftables, latency by a user-space <see cref="DelayLine"/>
/// instead of the usual veth link. Needs root. Always removed on disposal (Ctrl-C included); a lab
/// left by a killed process is removed by the next one.
/// </summary>
public sealed class NamespaceLab : IAsyncDisposable
{
    private const string Prefix = "portscan-lab-";
    private static int _started;

    private readonly LabBlock _block;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stop = new();
    private DelayLine? _delayLine;
    private bool _vethMade;

    private NamespaceLab(string name, LabBlock block, LabConditions conditions)
    {
        NamespaceName = name;
        _block = block;
        Conditions = conditions;
    }

    /// <summary>The lab host's address, to scan.</summary>
    public IPAddress Address => _block.LabAddress;

    /// <summary>This side of the link.</summary>
    public IPAddress HostAddress => _block.HostAddress;

    /// <summary>
    /// <c>portscan-lab-PID-N</c>, under /run/netns: the owner's pid, for removing labs whose owner is
    /// gone, and a count, for several labs in one process.
    /// </summary>
    public string NamespaceName { get; }

    /// <summary>This side of the link: a veth, or with latency the delay line's TUN device.</summary>
    public string HostInterface => _block.HostInterface;

    public LabConditions Conditions { get; }

    public PortRange? Open { get; private set; }
    public PortRange? Filtered { get; private set; }

    public static Task<NamespaceLab> StartAsync(int open, int filtered, int firstPort, CancellationToken cancellationToken) =>
        StartAsync(open, filtered, firstPort, LabConditions.None, cancellationToken);

    public static async Task<NamespaceLab> StartAsync(int open, int filtered, int firstPort, LabConditions conditions, CancellationToken cancellationToken)
    {
        if (Libc.geteuid() != 0)
        {
            throw new UsageException("--netns needs root (it runs 'ip netns add' and nft)");
        }
        if (firstPort + open + filtered - 1 > PortRange.MaxPort)
        {
            throw new UsageException($"{open + filtered} lab ports starting at {firstPort} go past port {PortRange.MaxPort}");
        }
        await RemoveAbandonedAsync(cancellationToken).ConfigureAwait(false);
        // A lab's /30 route is more specific, so this only catches a scan of a lab that is gone:
        // without it, such a scan follows the default route off this machine (seen: a full scan of
        // a removed lab's address drew 4,900 answers from somewhere upstream). Left in place, on
        // purpose: 198.18.0.0/15 is the benchmarking block, never a real destination.
        await RunAsync(["ip", "route", "replace", "blackhole", "198.18.0.0/15"], cancellationToken).ConfigureAwait(false);

        var lab = new NamespaceLab($"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _started)}", LabBlock.Claim(), conditions);
        var (outside, inside) = (lab._block.HostInterface, lab._block.LabInterface);
        try
        {
            await RunAsync(["ip", "netns", "add", lab.NamespaceName], cancellationToken).ConfigureAwait(false);
            if (conditions.Latency > TimeSpan.Zero)
            {
                lab.StartDelayLine();
                // A TUN device drops what its reader has not taken once txqueuelen packets wait (500 by
                // default: a full-range scan, up to 16,384 connects in flight a worker, lost 11,556 of its
                // 65,535 SYNs). The delay line is meant to delay, not to lose: room for every SYN of a scan.
                await RunAsync(["ip", "link", "set", outside, "txqueuelen", "65536"], cancellationToken).ConfigureAwait(false);
                await RunAsync(["ip", "-n", lab.NamespaceName, "link", "set", inside, "txqueuelen", "65536"], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunAsync(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside], cancellationToken).ConfigureAwait(false);
                lab._vethMade = true;
                await RunAsync(["ip", "link", "set", inside, "netns", lab.NamespaceName], cancellationToken).ConfigureAwait(false);
            }
            await RunAsync(["ip", "addr", "add", $"{lab.HostAddress}/30", "dev", outside], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "link", "set", outside, "up"], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab.NamespaceName, "addr", "add", $"{lab.Address}/30", "dev", inside], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab.NamespaceName, "link", "set", inside, "up"], cancellationToken).ConfigureAwait(false);
            await RunAsync(["ip", "-n", lab.NamespaceName, "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
            if (filtered > 0)
            {
                lab.Filtered = new PortRange(firstPort + open, firstPort + open + filtered - 1);
            }
            if (LabFirewall.Script(conditions, lab.Filtered) is { } rules)
            {
                await RunAsync(["ip", "netns", "exec", lab.NamespaceName, "nft", rules], cancellationToken).ConfigureAwait(false);
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

    private void StartDelayLine()
    {
        try
        {
            _delayLine = DelayLine.Start(NamespaceName, _block.HostInterface, _block.LabInterface, Conditions.Latency, Conditions.Jitter);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot make the lab's delay line: {e.Message}");
        }
    }

    private void ListenInside(PortRange ports)
    {
        try
        {
            NamespaceThread.Run(NamespaceName, () =>
            {
                for (var port = ports.Start; port <= ports.End; port++)
                {
                    var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    _listeners.Add(listener);
                    listener.Bind(new IPEndPoint(Address, port));
                    listener.Listen(512);
                }
            });
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot open the lab's listeners in {NamespaceName}: {e.Message}");
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
            // The owner's pid comes first: portscan-lab-PID-N (portscan-lab-PID before several labs a process).
            var owner = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    await RunAsync(["ip", "netns", "del", name], cancellationToken).ConfigureAwait(false);
                }
                catch (UsageException) when (!File.Exists(path))
                {
                    // Another lab starting in this process removed it first.
                }
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stop.Dispose();
        // Closing the delay line's TUN devices removes them. A veth is deleted here rather than with
        // the namespace, because a namespace is torn down after 'ip netns del' returns, and its veth
        // with it: a lab must be gone when its disposal ends. Never cancelled, so cleanup always runs.
        try
        {
            _delayLine?.Dispose();
            if (_vethMade)
            {
                await RunAsync(["ip", "link", "del", HostInterface], CancellationToken.None).ConfigureAwait(false);
            }
            if (File.Exists($"/run/netns/{NamespaceName}"))
            {
                await RunAsync(["ip", "netns", "del", NamespaceName], CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _block.Release();
        }
    }
}
