using System.Net;
using System.Net.Sockets;

namespace PortScan.Worker.Native;

/// <summary>A sockaddr_in or sockaddr_in6 for the target, built once; only the port changes per connect.</summary>
internal sealed class TargetSocketAddress
{
    private readonly byte[] _bytes;

    public TargetSocketAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Family = LinuxSockets.AfInet;
            _bytes = new byte[16];
            address.TryWriteBytes(_bytes.AsSpan(4, 4), out _);
        }
        else
        {
            Family = LinuxSockets.AfInet6;
            _bytes = new byte[28];
            address.TryWriteBytes(_bytes.AsSpan(8, 16), out _);
            BitConverter.TryWriteBytes(_bytes.AsSpan(24, 4), (uint)address.ScopeId);
        }
        BitConverter.TryWriteBytes(_bytes.AsSpan(0, 2), (ushort)Family);
    }

    public int Family { get; }

    public int Length => _bytes.Length;

    /// <summary>The buffer, with the port set in network byte order.</summary>
    public byte[] WithPort(int port)
    {
        _bytes[2] = (byte)(port >> 8);
        _bytes[3] = (byte)port;
        return _bytes;
    }

    /// <summary>
    /// True when a "connected" socket is connected to itself. The kernel may pick the target port
    /// as the ephemeral source port; the SYN then meets itself and the handshake "succeeds" with no
    /// listener at all. A scanner that skips this check reports phantom open ports on loopback.
    /// </summary>
    public static unsafe bool IsSelfConnected(int fd)
    {
        byte* local = stackalloc byte[28];
        byte* peer = stackalloc byte[28];
        int localLength = 28, peerLength = 28;
        if (LinuxSockets.GetSockName(fd, local, &localLength) != 0 || LinuxSockets.GetPeerName(fd, peer, &peerLength) != 0)
        {
            return false;
        }
        // Family and port (bytes 0-3) and the address: bytes 4-7 for IPv4, 8-23 for IPv6.
        var addressStart = *(ushort*)local == LinuxSockets.AfInet ? 4 : 8;
        var addressEnd = addressStart == 4 ? 8 : 24;
        return localLength == peerLength
            && new ReadOnlySpan<byte>(local, 4).SequenceEqual(new ReadOnlySpan<byte>(peer, 4))
            && new ReadOnlySpan<byte>(local + addressStart, addressEnd - addressStart)
                .SequenceEqual(new ReadOnlySpan<byte>(peer + addressStart, addressEnd - addressStart));
    }
}
