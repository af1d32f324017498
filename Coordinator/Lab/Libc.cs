using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PortScan.Coordinator.Lab;

/// <summary>The libc calls the namespace lab needs that .NET has no API for: namespaces, TUN devices, poll.</summary>
internal static unsafe partial class Libc
{
    public const int CloneNewNet = 0x40000000;
    public const int ReadWrite = 0x2;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const short PollIn = 0x1;
    public const int Interrupted = 4; // EINTR

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(SafeFileHandle fd, nuint request, void* argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    /// <summary>The last call's errno as text, for messages.</summary>
    public static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
}
