using System.Net;
using System.Net.NetworkInformation;

namespace PortScan.Coordinator.Lab;

/// <summary>
/// A lab's /30 of 198.18.0.0/15 (the block reserved for benchmarking) and the two link ends named
/// after it: the host side gets .1, the lab side .2. There are 32,768; one is free when no lab of this
/// process holds it, no interface bears its host-side name and no interface has an address in it.
/// Another process that claims the same one at the same instant makes one of the two labs fail to
/// start (the interface exists), never both share it.
/// </summary>
internal readonly record struct LabBlock(int Index)
{
    private const int Count = 1 << 15;
    private static readonly HashSet<int> Held = [];
    private static readonly Lock Gate = new();

    public IPAddress HostAddress => ToAddress(1);

    public IPAddress LabAddress => ToAddress(2);

    /// <summary>At most 9 characters, within Linux's 15 for an interface name.</summary>
    public string HostInterface => $"psl{Index}h";

    public string LabInterface => $"psl{Index}n";

    /// <summary>A free block, searched from one chosen by pid, so that labs of different processes seldom meet.</summary>
    public static LabBlock Claim()
    {
        var addressed = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(link => link.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address.GetAddressBytes())
            .Where(bytes => bytes is [198, 18 or 19, _, _])
            .Select(bytes => (((bytes[1] - 18) << 16) | (bytes[2] << 8) | bytes[3]) / 4)
            .ToHashSet();
        lock (Gate)
        {
            for (var i = 0; i < Count; i++)
            {
                var block = new LabBlock((Environment.ProcessId + i) % Count);
                if (!Held.Contains(block.Index) && !addressed.Contains(block.Index) && !Directory.Exists($"/sys/class/net/{block.HostInterface}"))
                {
                    Held.Add(block.Index);
                    return block;
                }
            }
        }
        throw new InvalidOperationException("every /30 of 198.18.0.0/15 is taken by a lab");
    }

    public void Release()
    {
        lock (Gate)
        {
            Held.Remove(Index);
        }
    }

    private IPAddress ToAddress(int host)
    {
        var value = (198u << 24) + (18u << 16) + (uint)Index * 4 + (uint)host;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
