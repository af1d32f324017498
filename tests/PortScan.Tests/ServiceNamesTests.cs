using PortScan.Coordinator.Output;

namespace PortScan.Tests;

public class ServiceNamesTests
{
    [Test]
    public void Reads_tcp_names_from_an_etc_services_layout()
    {
        var names = ServiceNames.Parse(
        [
            "# comment",
            "ssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol",
            "domain\t\t53/udp",
            "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP",
            "http-again\t80/tcp",
            "broken line",
        ]);

        names[Transport.Tcp, 22].ShouldBe("ssh");
        names[Transport.Tcp, 80].ShouldBe("http");
        names[Transport.Udp, 53].ShouldBe("domain");
        names[Transport.Tcp, 53].ShouldBeNull("53/udp is not a TCP service");
        names[Transport.Tcp, 9999].ShouldBeNull();
    }
}
