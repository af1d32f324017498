using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PortScan.Shared.Work;

/// <summary>IPv4 and IPv6 addresses as numbers, so ranges and CIDR blocks can be counted and walked.</summary>
public static class AddressArithmetic
{
    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The address <paramref name="number"/> in the family (and IPv6 scope) of <paramref name="like"/>.</summary>
    public static IPAddress FromNumber(UInt128 number, IPAddress like)
    {
        if (like.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)number);
            return new IPAddress(v4);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, number);
        return new IPAddress(v6, like.ScopeId);
    }

    /// <summary>True when <paramref name="next"/> is the address right after <paramref name="previous"/> in the same family.</summary>
    public static bool Follows(IPAddress previous, IPAddress next) =>
        previous.AddressFamily == next.AddressFamily
        && (previous.AddressFamily == AddressFamily.InterNetwork || previous.ScopeId == next.ScopeId)
        && ToNumber(previous) + 1 == ToNumber(next);
}
