using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker.Native;

/// <summary>One epoll instance and its event buffer: what both scan engines wait on.</summary>
internal sealed unsafe class EpollSet : IDisposable
{
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly byte[] _events = new byte[MaxEvents * EpollEventSize];

    public EpollSet()
    {
        _epoll = EpollCreate1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new ScanFailedException($"epoll_create1 failed (errno {LastError})");
        }
    }

    public void Add(int fd, uint events) => Control(EpollCtlAdd, fd, events);

    public void Modify(int fd, uint events) => Control(EpollCtlMod, fd, events);

    /// <summary>Stops watching a socket that stays open (closing one removes it by itself).</summary>
    public void Remove(int fd)
    {
        var slot = stackalloc byte[EpollEventSize];
        EpollCtl(_epoll, EpollCtlDel, fd, slot);
    }

    /// <summary>Whether the kernel and libc have epoll_pwait2; else waits are rounded up to the millisecond.</summary>
    private static bool s_fineWaits = true;

    /// <summary>Waits up to <paramref name="timeoutUs"/> microseconds; returns how many sockets are ready (0 when a signal interrupted the wait), each read with <see cref="ReadyFd"/>.</summary>
    public int Wait(int timeoutUs)
    {
        fixed (byte* events = _events)
        {
            var ready = s_fineWaits ? FineWait(events, timeoutUs) : -2;
            if (ready == -2)
            {
                ready = EpollWait(_epoll, events, MaxEvents, (int)Math.Min(int.MaxValue, (timeoutUs + 999L) / 1000));
            }
            if (ready >= 0)
            {
                return ready;
            }
        }
        var error = LastError;
        return error == EINTR ? 0 : throw new ScanFailedException($"epoll_wait failed (errno {error})");
    }

    /// <summary>epoll_pwait2; -2 (and never again) when this system lacks it.</summary>
    private int FineWait(byte* events, int timeoutUs)
    {
        var timeout = Timespec.FromMicroseconds(timeoutUs);
        try
        {
            var ready = EpollPwait2(_epoll, events, MaxEvents, &timeout, null);
            if (ready >= 0 || LastError != ENOSYS)
            {
                return ready;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A libc older than 2.35.
        }
        s_fineWaits = false;
        return -2;
    }

    /// <summary>Sleeps <paramref name="microseconds"/> with nothing to wait for but a pacer's slot (Thread.Sleep counts whole milliseconds).</summary>
    public static void Sleep(int microseconds)
    {
        var duration = Timespec.FromMicroseconds(microseconds);
        Nanosleep(&duration, null);
    }

    public int ReadyFd(int index)
    {
        fixed (byte* events = _events)
        {
            return ReadEpollFd(events + (index * EpollEventSize));
        }
    }

    private void Control(int operation, int fd, uint events)
    {
        var slot = stackalloc byte[EpollEventSize];
        WriteEpollEvent(slot, events, fd);
        if (EpollCtl(_epoll, operation, fd, slot) != 0)
        {
            throw new ScanFailedException($"epoll_ctl failed (errno {LastError})");
        }
    }

    public void Dispose() => Close(_epoll);
}
