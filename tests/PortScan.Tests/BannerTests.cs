using System.Text;
using System.Xml.Linq;
using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--banners against listeners the test opens on 127.0.0.1, and the escaping every format shares.</summary>
public class BannerTests
{
    [Test]
    public async Task A_greeting_is_captured_without_sending_anything_and_a_silent_service_has_none()
    {
        await using var services = new LoopbackServices();
        var greeter = services.TcpGreeting("SSH-2.0-portscan_test\r\n"u8.ToArray());
        await using var lab = TestLab.Start(open: 1, closed: 0, filtered: 0);
        var quiet = lab.Ports.Start;

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{greeter},{quiet}", "--banners", "--banner-timeout", "300ms", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        var ports = JsonReport.Parse(run.Stdout).Hosts.ShouldHaveSingleItem().Ports;
        ports.Single(p => p.Port == greeter).Banner.ShouldBe("SSH-2.0-portscan_test");
        ports.Single(p => p.Port == quiet).State.ShouldBe("open");
        ports.Single(p => p.Port == quiet).Banner.ShouldBeNull();
        await Task.Delay(200);
        services.BytesReceivedByGreeters.ShouldBe(0, "reading a banner sends nothing to the service");
    }

    [Test]
    public async Task Without_banners_nothing_is_read()
    {
        await using var services = new LoopbackServices();
        var greeter = services.TcpGreeting("220 mail.test ESMTP\r\n"u8.ToArray());

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{greeter}", "--format", "json");

        run.ExitCode.ShouldBe(0, run.ToString());
        JsonReport.Parse(run.Stdout).Hosts.ShouldHaveSingleItem().Ports.ShouldHaveSingleItem().Banner.ShouldBeNull();
    }

    [Test]
    public async Task A_hostile_banner_is_escaped_and_cut_the_same_way_in_every_format()
    {
        await using var services = new LoopbackServices();
        var greeting = Encoding.UTF8.GetBytes("220 a,b/c \"q\" é\u001b[31m\0" + new string('x', 400) + "\r\n");
        var greeter = services.TcpGreeting(greeting);
        var expected = Banner.Escape(greeting);
        var directory = TestTemp.Directory("banner");
        var basePath = Path.Combine(directory.FullName, "scan");

        var run = await Binaries.PortScanAsync("scan", "127.0.0.1", "-p", $"{greeter}", "--banners", "--banner-timeout", "300ms",
            "-oA", basePath, "-o", basePath + ".csv", "--format", "csv");

        run.ExitCode.ShouldBe(0, run.ToString());
        expected.ShouldStartWith(@"220 a,b/c ""q"" \xc3\xa9\x1b[31m\x00xxx");
        expected.Length.ShouldBe(Banner.MaxLength);
        expected.ShouldEndWith("...");
        run.Stdout.ShouldContain($"|_banner: {expected}");
        File.ReadAllText(basePath + ".nmap").ShouldContain($"|_banner: {expected}");
        (await NmapDtd.ValidateAsync(basePath + ".xml")).ExitCode.ShouldBe(0);
        var port = XDocument.Load(basePath + ".xml").Descendants("port").ShouldHaveSingleItem();
        port.Element("service")!.Attribute("extrainfo")!.Value.ShouldBe(expected);
        port.Element("script")!.Attribute("output")!.Value.ShouldBe(expected);
        File.ReadAllText(basePath + ".gnmap").ShouldContain($"/{expected.Replace("/", @"\x2f").Replace(",", @"\x2c")}/");
        File.ReadAllLines(basePath + ".csv")[1].ShouldEndWith($",\"{expected.Replace("\"", "\"\"")}\",syn-ack", customMessage: "the banner, quoted, then the reason");
    }

    [TestCase("SSH-2.0-OpenSSH_9.2\r\n", "SSH-2.0-OpenSSH_9.2")]
    [TestCase("220-first\r\n220 second\r\n", @"220-first\r\n220 second")]
    [TestCase("a\\b\tc", @"a\\b\tc")]
    [TestCase("\r\n", "")]
    public void Escape_keeps_printable_ascii_and_writes_every_other_byte_as_an_escape(string data, string expected)
    {
        Banner.Escape(Encoding.Latin1.GetBytes(data)).ShouldBe(expected);
    }

    [Test]
    public void Escape_never_splits_an_escape_when_it_cuts()
    {
        var text = Banner.Escape(Enumerable.Repeat((byte)0x01, 500).ToArray());

        text.Length.ShouldBeLessThanOrEqualTo(Banner.MaxLength);
        text[..^3].Length.ShouldBe((Banner.MaxLength - 3) / 4 * 4, "only whole \\x01 escapes before the cut marker");
        Banner.IsWellFormed(text).ShouldBeTrue();
        Banner.IsWellFormed("tab\there").ShouldBeFalse();
    }
}
