using System.Net;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Targets;

namespace PortScan.Tests;

public class TargetResolverTests
{
    [TestCase("127.0.0.1", "127.0.0.1", "127.0.0.1")]
    [TestCase("::1", "::1", "::1")]
    [TestCase("[::1]", "::1", "::1")]
    [TestCase("localhost", "127.0.0.1", "localhost")]
    public async Task Resolves_literals_and_names_once(string text, string address, string name)
    {
        var target = await TargetResolver.ResolveAsync(text, CancellationToken.None);

        target.Address.ShouldBe(IPAddress.Parse(address));
        target.Name.ShouldBe(name, "only host names are names; literals are named by their address");
    }

    [TestCase("999.1.1.1")]
    [TestCase("127.1")]
    [TestCase("127.0.0.1.5")]
    [TestCase("fe80::zz")]
    [TestCase("under_score!")]
    public async Task Rejects_invalid_literals_without_a_lookup(string text)
    {
        await Should.ThrowAsync<UsageException>(() => TargetResolver.ResolveAsync(text, CancellationToken.None));
    }
}
