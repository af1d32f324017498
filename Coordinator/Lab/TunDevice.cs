using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// A TUN device: a network interface whose packets this process reads and writes as plain IP
/// packets (no packet-information header). It is made in the network namespace of the thread that
/// creates it, and, not being persistent, it disappears when its descriptor is closed.
/// </summary>
internal sealed unsafe class TunDevice : IDisposable
{
    private const nuint TunSetIff = 0x400454ca;
    private const short IffTun = 0x0001;
    private const short IffNoPi = 0x1000;
    /// <summary>Fail rather than attach to a device of the same name: the name is this lab's claim on its /30.</summary>
    private const short IffTunExcl = unchecked((short)0x8000);
    private const short PollErrors = 0x8 | 0x10 | 0x20; // POLLERR, POLLHUP, POLLNVAL

    private readonly SafeFileHandle _handle;

    private TunDevice(string name, SafeFileHandle handle)
    {
        Name = name;
        _handle = handle;
    }

    public string Name { get; }

    /// <summary>Makes the device in the calling thread's network namespace, non-blocking.</summary>
    public static TunDevice Create(string name)
    {
        var fd = Libc.open("/dev/net/tun", Libc.ReadWrite | Libc.NonBlocking | Libc.CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open /dev/net/tun: {Libc.LastError()}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // struct ifreq: the name in 16 bytes, then a 24-byte union that starts with the flags.
        var request = stackalloc byte[40];
        new Span<byte>(request, 40).Clear();
        Encoding.ASCII.GetBytes(name, new Span<byte>(request, 15));
        *(short*)(request + 16) = IffTun | IffNoPi | IffTunExcl;
        if (Libc.ioctl(handle, TunSetIff, request) != 0)
        {
            var error = Libc.LastError();
            handle.Dispose();
            throw new IOException($"cannot make TUN device {name}: {error}");
        }
        return new TunDevice(name, handle);
    }

    /// <summary>One packet into <paramref name="buffer"/>: its length, or 0 when none is waiting.</summary>
    public int Read(byte* buffer, int capacity)
    {
        var length = Libc.read(_handle, buffer, (nuint)capacity);
        return length > 0 ? (int)length : 0;
    }

    /// <summary>Hands one packet to the kernel as if it had arrived on this interface.</summary>
    public void Write(byte* packet, int length)
    {
        // A packet the kernel refuses (the interface is going down) is lost, as on a real link.
        _ = Libc.write(_handle, packet, (nuint)length);
    }

    /// <summary>
    /// Blocks until a packet is waiting (true), or until <paramref name="stop"/> is readable or
    /// the device is gone (false). The caller closes neither descriptor while this runs.
    /// </summary>
    public bool WaitReadable(SafeFileHandle stop)
    {
        var fds = stackalloc Libc.PollFd[2];
        fds[0] = new Libc.PollFd { Fd = (int)_handle.DangerousGetHandle(), Events = Libc.PollIn };
        fds[1] = new Libc.PollFd { Fd = (int)stop.DangerousGetHandle(), Events = Libc.PollIn };
        int ready;
        do
        {
            ready = Libc.poll(fds, 2, -1);
        }
        while (ready < 0 && Marshal.GetLastPInvokeError() == Libc.Interrupted); // the runtime uses signals
        return ready > 0 && fds[1].Revents == 0 && (fds[0].Revents & PollErrors) == 0;
    }

    public void Dispose() => _handle.Dispose();
}
