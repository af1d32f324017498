using System.Net;
using PortScan.Coordinator.Lab;

namespace PortScan.Tests.Support;

/// <summary>Lab targets for tests, on ports chosen away from the ephemeral range so nothing else holds them.</summary>
public static class TestLab
{
    private static int _nextFirstPort = 21000;

    public static LabTarget Start(int open, int closed, int filtered, IPAddress? address = null)
    {
        // Each test gets its own stretch of ports, so parallel or leftover labs never collide.
        var first = Interlocked.Add(ref _nextFirstPort, 500) - 500;
        return LabTarget.Start(address ?? IPAddress.Loopback, open, closed, filtered, first);
    }
}
