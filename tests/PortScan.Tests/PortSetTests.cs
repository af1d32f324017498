using PortScan.Shared.Ports;

namespace PortScan.Tests;

public class PortSetTests
{
    [TestCase("80", "80", 1)]
    [TestCase("1-1024", "1-1024", 1024)]
    [TestCase("9,1-5,12-40", "1-5,9,12-40", 35)]
    [TestCase("1-5,3-8,9", "1-9", 9)]
    [TestCase("65535,1", "1,65535", 2)]
    public void Parses_sorts_and_merges(string text, string written, int count)
    {
        PortSet.TryParse(text, out var ports, out var error).ShouldBeTrue(error);

        ports.ToString().ShouldBe(written);
        ports.Count.ShouldBe(count);
        ports.Ports().Count().ShouldBe(count);
        ports.Ports().ShouldBeInOrder();
    }

    [TestCase("")]
    [TestCase("0")]
    [TestCase("1-65536")]
    [TestCase("5-2")]
    [TestCase("1,,2")]
    [TestCase("a-b")]
    [TestCase("-5")]
    [TestCase("1 - 5")]
    public void Rejects_bad_text_with_one_line(string text)
    {
        PortSet.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrWhiteSpace();
        error.ShouldNotContain('\n');
    }

    [Test]
    public void Contains_exactly_its_ports()
    {
        PortSet.TryParse("1-5,9,12-40", out var ports, out _).ShouldBeTrue();

        Enumerable.Range(1, 50).Where(ports.Contains).ShouldBe(ports.Ports());
    }
}
