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

        names[22].ShouldBe("ssh");
        names[80].ShouldBe("http");
        names[53].ShouldBeNull("udp entries are not TCP services");
        names[9999].ShouldBeNull();
    }
}
