using PortScan.Shared.Ports;

namespace PortScan.Tests;

public class PortRangeTests
{
    [TestCase(0, 10, "start port 0 is outside 1-65535")]
    [TestCase(1, 65536, "end port 65536 is outside 1-65535")]
    [TestCase(10, 5, "start port 10 is greater than end port 5")]
    public void Rejects_invalid_ranges_with_a_sentence(int start, int end, string expected)
    {
        PortRange.TryCreate(start, end, out _, out var error).ShouldBeFalse();
        error.ShouldBe(expected);
    }

    [Test]
    public void Counts_both_ends()
    {
        new PortRange(20, 22).Count.ShouldBe(3);
        PortRange.All.Count.ShouldBe(65535);
    }
}
