using Microsoft.Win32.SafeHandles;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// The lab's link when latency is asked for. This kernel has no netem ('tc qdisc add … netem':
/// unknown qdisc) and no nftables queue, so the delay is made in user space: a TUN device on each
/// side of the link, and a <see cref="OneWayDelay"/> each way copying packets from one to the
/// other after half the round-trip latency, ± half the jitter, so that a round trip lies within
/// latency ± jitter. Disposing it stops its threads and closes both devices, which removes them.
/// Measured on 2 cores: 130,000 packets a second one way, as fast as the sender could go; a
/// full-range connect scan at 27,000–31,000 ports a second (a SYN and an RST each, through the line
/// while the scanner shares the cores) against 62,000–75,000 over a veth. Most of the line's time is
/// the kernel's own network stack, which a write into a TUN device runs on the writing thread.
/// </summary>
internal sealed unsafe class DelayLine : IDisposable
{
    private readonly TunDevice _host;
    private readonly TunDevice _lab;
    private readonly SafeFileHandle _stop;
    private readonly OneWayDelay _toLab;
    private readonly OneWayDelay _toHost;

    private DelayLine(TunDevice host, TunDevice lab, SafeFileHandle stop, TimeSpan latency, TimeSpan jitter)
    {
        _host = host;
        _lab = lab;
        _stop = stop;
        _toLab = new OneWayDelay(host, lab, latency / 2, jitter / 2, stop);
        _toHost = new OneWayDelay(lab, host, latency / 2, jitter / 2, stop);
    }

    /// <summary>
    /// Makes <paramref name="hostInterface"/> in this process's namespace and <paramref name="labInterface"/>
    /// in <paramref name="namespaceName"/> (a TUN device belongs to the namespace of the thread that makes it), and starts relaying.
    /// </summary>
    public static DelayLine Start(string namespaceName, string hostInterface, string labInterface, TimeSpan latency, TimeSpan jitter)
    {
        var host = TunDevice.Create(hostInterface);
        TunDevice? lab = null;
        try
        {
            lab = NamespaceThread.Run(namespaceName, () => TunDevice.Create(labInterface));
            // An eventfd the readers poll beside their device: writing to it wakes them to stop.
            var stop = Libc.eventfd(0, Libc.CloseOnExec); // EFD_CLOEXEC is O_CLOEXEC
            if (stop < 0)
            {
                throw new IOException($"eventfd failed: {Libc.LastError()}");
            }
            return new DelayLine(host, lab, new SafeFileHandle(stop, ownsHandle: true), latency, jitter);
        }
        catch
        {
            lab?.Dispose();
            host.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var one = 1UL;
        _ = Libc.write(_stop, (byte*)&one, sizeof(ulong));
        _toLab.Stop();
        _toHost.Stop();
        _host.Dispose();
        _lab.Dispose();
        _stop.Dispose();
    }
}
