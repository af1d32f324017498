using System.Net;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Work;

namespace PortScan.Tests;

/// <summary>nmap's target syntax, parsed without a lookup or a packet.</summary>
public class TargetSpecificationTests
{
    private static string[] Addresses(string text) => [.. TargetSpecification.Parse(text).Addresses.Select(a => a.ToString())];

    [Test]
    public void A_cidr_block_is_every_address_of_it_network_and_broadcast_included()
    {
        Addresses("127.0.0.0/29").ShouldBe(Enumerable.Range(0, 8).Select(i => $"127.0.0.{i}"));
        Addresses("127.0.0.5/30").ShouldBe(["127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"], "the host bits are cleared, as nmap does");
        Addresses("127.0.0.1/32").ShouldBe(["127.0.0.1"]);
        Addresses("::1/127").ShouldBe(["::", "::1"]);
        Addresses("[::1]/128").ShouldBe(["::1"]);
    }

    [TestCase("127.0.0.1-8", "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8")]
    [TestCase("127.0.0.1,3,5", "127.0.0.1,127.0.0.3,127.0.0.5")]
    [TestCase("127.0.0-1.1", "127.0.0.1,127.0.1.1")]
    [TestCase("127.0.0.-2", "127.0.0.0,127.0.0.1,127.0.0.2")]
    [TestCase("127.0.0.254-", "127.0.0.254,127.0.0.255")]
    [TestCase("127.0.0.1", "127.0.0.1")]
    public void Octet_ranges_follow_nmap(string text, string expected)
    {
        Addresses(text).ShouldBe(expected.Split(','));
    }

    [Test]
    public void A_star_octet_is_all_256()
    {
        Addresses("127.0.0.*").Length.ShouldBe(256);
    }

    [Test]
    public void Names_are_kept_for_one_lookup_later_with_any_prefix()
    {
        var name = TargetSpecification.Parse("localhost");
        name.HostName.ShouldBe("localhost");
        name.Addresses.ShouldBeEmpty();
        TargetSpecification.Parse("localhost/30").Prefix.ShouldBe(30);
    }

    [TestCase("127.0.0.0/33")]
    [TestCase("::1/129")]
    [TestCase("127.0.0.0/11")]
    [TestCase("::/107")]
    [TestCase("10.0-16.*.*")]
    [TestCase("::/64")]
    [TestCase("127.0.0.1/")]
    [TestCase("127.0.0.1-300")]
    [TestCase("127.0.0.9-1")]
    [TestCase("127.0.*.*.1")]
    [TestCase("127.*.*.*")]
    [TestCase("127.0.0.1-3/30")]
    [TestCase("fe80::zz")]
    [TestCase("bad host!")]
    [TestCase("")]
    public void Bad_targets_are_usage_errors_of_one_line(string text)
    {
        var error = Should.Throw<UsageException>(() => TargetSpecification.Parse(text));
        error.Message.ShouldNotContain('\n');
    }

    [Test]
    public void A_twelfth_is_the_largest_block_a_scan_takes()
    {
        TargetSpecification.Parse("127.0.0.0/12").Addresses.Count.ShouldBe(1_048_576);
        TargetSpecification.Parse("::/108").Addresses.Count.ShouldBe(1_048_576);
        TargetSpecification.Parse("10.0-15.*.*").Addresses.Count.ShouldBe(1_048_576);

        Should.Throw<UsageException>(() => TargetSpecification.Parse("127.0.0.0/11")).Message
            .ShouldBe("'127.0.0.0/11' is more than 1,048,576 addresses; a scan takes at most a /12");
        Should.Throw<UsageException>(() => TargetSpecification.Parse("::/107")).Message
            .ShouldBe("'::/107' is more than 1,048,576 addresses; a scan takes at most a /108");
        Should.Throw<UsageException>(() => TargetSpecification.Parse("10.0-16.*.*")).Message
            .ShouldBe("'10.0-16.*.*' is 1,114,112 addresses; a scan takes at most 1,048,576");
    }

    [Test]
    public async Task Targets_of_more_hosts_together_than_a_scan_takes_are_refused()
    {
        var error = await Should.ThrowAsync<UsageException>(() => TargetResolver.ResolveAllAsync(["127.0.0.0/12", "127.16.0.0"], [], null, CancellationToken.None));

        error.Message.ShouldBe("the targets name more than 1,048,576 hosts; split the scan");
    }

    [Test]
    public async Task Hosts_are_listed_in_order_each_address_once_without_the_excluded()
    {
        var hosts = await TargetResolver.ResolveAllAsync(["127.0.0.0/30", "127.0.0.2", "::1", "localhost"], ["127.0.0.0", "127.0.0.3"], null, CancellationToken.None);

        hosts.Select(h => h.Address.ToString()).ShouldBe(["127.0.0.1", "127.0.0.2", "::1"], "localhost is 127.0.0.1, listed already");
    }

    [Test]
    public async Task Excluding_every_target_is_a_usage_error()
    {
        var error = await Should.ThrowAsync<UsageException>(() => TargetResolver.ResolveAllAsync(["127.0.0.1-2"], ["127.0.0.0/30"], null, CancellationToken.None));
        error.Message.ShouldBe("every target was excluded: nothing to scan");
    }

    [Test]
    public void A_target_list_file_takes_whitespace_comments_and_blank_lines_as_nmap_does()
    {
        var text = "# lab hosts\n127.0.0.1\n\n   \n127.0.0.2 127.0.0.3  # two on one line\n\t::1\r\nlocalhost#no space before the comment\n";

        TargetFile.Parse(text).ShouldBe(["127.0.0.1", "127.0.0.2", "127.0.0.3", "::1", "localhost"]);
    }

    [Test]
    public void Host_lists_write_runs_as_ranges_and_read_them_back()
    {
        IPAddress[] hosts = [.. Addresses("127.0.0.0/30").Select(IPAddress.Parse), IPAddress.Parse("127.0.0.9"), IPAddress.Parse("::1"), IPAddress.Parse("::2")];

        var text = HostList.Format(hosts);

        text.ShouldBe("127.0.0.0-127.0.0.3,127.0.0.9,::1-::2");
        HostList.TryParse(text, 100, out var parsed, out var error).ShouldBeTrue(error);
        parsed.ShouldBe(hosts);
        HostList.TryParse(text, 6, out _, out error).ShouldBeFalse("seven addresses are more than a limit of six");
        error.ShouldContain("more than 6 addresses");
    }
}
