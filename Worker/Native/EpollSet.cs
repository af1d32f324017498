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

    /// <summary>Waits up to <paramref name="timeoutMs"/>; returns how many sockets are ready (0 when a signal interrupted the wait), each read with <see cref="ReadyFd"/>.</summary>
    public int Wait(int timeoutMs)
    {
        fixed (byte* events = _events)
        {
            var ready = EpollWait(_epoll, events, MaxEvents, timeoutMs);
            if (ready >= 0)
            {
                return ready;
            }
        }
        var error = LastError;
        return error == EINTR ? 0 : throw new ScanFailedException($"epoll_wait failed (errno {error})");
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
