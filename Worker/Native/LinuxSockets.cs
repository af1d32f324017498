using System.Runtime.InteropServices;

namespace PortScan.Worker.Native;

/// <summary>
/// The few libc calls the scan engines need. System.Net.Sockets cannot be used for the hot
/// path: on Linux a .NET Socket is unusable after a failed connect, so every refused port would
/// cost a new socket (socket() plus close() measured 5 µs a port here, as much as the connect).
/// </summary>
internal static unsafe partial class LinuxSockets
{
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int SockStream = 1;
    public const int SockDgram = 2;
    public const int SockNonBlock = 0x800;
    public const int SockCloexec = 0x80000;
    public const int SolSocket = 1;
    public const int SoLinger = 13;
    public const int SoError = 4;

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const int EpollCloexec = 0x80000;

    // Linux errno values (asm-generic/errno.h).
    public const int EPERM = 1;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int ENFILE = 23;
    public const int EMFILE = 24;
    public const int ENOSYS = 38;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int EISCONN = 106;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTDOWN = 112;
    public const int EHOSTUNREACH = 113;
    public const int EALREADY = 114;
    public const int EINPROGRESS = 115;

    [StructLayout(LayoutKind.Sequential)]
    public struct Linger
    {
        public int OnOff;
        public int Seconds;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, int length);

    /// <summary>connect() to an AF_UNSPEC address: dissolves a TCP socket's association (a pending SYN included) and leaves it reusable.</summary>
    public static int Disconnect(int fd)
    {
        var unspecified = stackalloc byte[16]; // sa_family = AF_UNSPEC (0), the rest ignored
        return Connect(fd, unspecified, 16);
    }

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);

    /// <summary>The socket's pending error, cleared by reading it: the hard one, else a soft one (an ICMP error that did not end a connect).</summary>
    public static int PendingError(int fd)
    {
        int error = 0, length = sizeof(int);
        return GetSockOpt(fd, SolSocket, SoError, &error, &length) == 0 ? error : 0;
    }

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int fd, byte* address, int* length);

    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    public static partial int GetPeerName(int fd, byte* address, int* length);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);

    /// <summary>struct timespec on the 64-bit Linux ABIs .NET runs on.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;

        public static Timespec FromMicroseconds(int microseconds) => new() { Seconds = microseconds / 1_000_000, Nanoseconds = microseconds % 1_000_000 * 1_000L };
    }

    /// <summary>epoll_wait with a timeout in nanoseconds (Linux 5.11, glibc 2.35).</summary>
    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    public static partial int EpollPwait2(int epfd, byte* events, int maxEvents, Timespec* timeout, void* sigmask);

    [LibraryImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    public static partial int Nanosleep(Timespec* duration, Timespec* remaining);

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static void WriteEpollEvent(byte* slot, uint events, int fd)
    {
        *(uint*)slot = events;
        *(ulong*)(slot + EpollDataOffset) = (ulong)fd;
    }

    public static int ReadEpollFd(byte* slot) => (int)*(ulong*)(slot + EpollDataOffset);

    public static int LastError => Marshal.GetLastPInvokeError();
}
