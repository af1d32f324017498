using System.Runtime.InteropServices;

namespace PortScan.Shared.Platform;

/// <summary>
/// The open-file limit (RLIMIT_NOFILE). Every connect in flight holds one descriptor, so this
/// limit, not the CPU, caps how many connects one process can have outstanding: a real reason
/// why several worker processes scan filtered hosts faster than one.
/// </summary>
public static partial class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Descriptors a process needs besides its sockets: stdio, the runtime's own handles, epoll.</summary>
    public const int Reserve = 64;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRlimit(int resource, in Rlimit limit);

    /// <summary>The hard limit: what any process of this user may raise its soft limit to.</summary>
    public static int Hard => GetRlimit(RlimitNofile, out var limit) == 0 ? Clamp(limit.Maximum) : 1024;

    /// <summary>Raises the soft limit to the hard limit and returns the soft limit now in force.</summary>
    public static int RaiseSoftToHard()
    {
        if (GetRlimit(RlimitNofile, out var limit) != 0)
        {
            return 1024;
        }
        if (limit.Current < limit.Maximum)
        {
            var raised = new Rlimit { Current = limit.Maximum, Maximum = limit.Maximum };
            if (SetRlimit(RlimitNofile, raised) == 0)
            {
                return Clamp(limit.Maximum);
            }
        }
        return Clamp(limit.Current);
    }

    private static int Clamp(ulong value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
