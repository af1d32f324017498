using PortScan.Shared.Ports;
using static PortScan.Worker.Native.LinuxSockets;

namespace PortScan.Worker.Probing;

/// <summary>What an errno from socket(), connect(), send() or recv() says about a port, for both engines.</summary>
internal static class SocketErrors
{
    /// <summary>No route, an ICMP unreachable, a local firewall: nmap calls all of these filtered.</summary>
    public static bool IsUnreachable(int errno) =>
        errno is ENETUNREACH or EHOSTUNREACH or EHOSTDOWN or ENETDOWN or EACCES or EPERM;

    /// <summary>
    /// Why an errno that made a port filtered did, in nmap's words: nmap's connect scan
    /// (<c>scan_engine_connect.cc</c>) maps EHOSTUNREACH, ENETUNREACH, EACCES, ETIMEDOUT and EHOSTDOWN
    /// so; EPERM, ENETDOWN and ECONNRESET, which it never sees or gives up on, get the nearest of its words.
    /// </summary>
    public static PortReason Reason(int errno) => errno switch
    {
        EHOSTUNREACH => PortReason.HostUnreach,
        ENETUNREACH or ENETDOWN => PortReason.NetUnreach,
        EACCES => PortReason.AdminProhibited,
        EPERM => PortReason.PermDenied,
        ECONNRESET => PortReason.Reset,
        _ => PortReason.NoResponse,
    };

    /// <summary>
    /// Out of descriptors, ephemeral ports or buffers for now: never a verdict on the port. The
    /// probe waits for in-flight ones to free resources and is sent again, with no try counted.
    /// </summary>
    public static bool IsShortage(int errno) =>
        errno is EMFILE or ENFILE or ENOBUFS or ENOMEM or EADDRNOTAVAIL or EAGAIN;
}
