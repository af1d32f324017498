using System.Net;
using System.Text.Json;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;

namespace PortScan.Tests;

public class ProtocolCodecTests
{
    private static readonly WorkerMessage[] Messages =
    [
        new HelloMessage(3, 3, 4242, "127.0.0.1 1-8191", 1000, 512),
        new HelloMessage(3, 1, 4243, "127.0.0.1 100-200; 127.0.0.2-127.0.0.8 1-200; ::1 1-5", 1000, 512),
        new PortsMessage("127.0.0.1", [new OpenPort(22, 0.125)], [1, 2, 3], [4]),
        new HeartbeatMessage(12),
        new DoneMessage(1, 3, 1, 80.2),
        new ErrorMessage("out of sockets"),
    ];

    [TestCaseSource(nameof(Messages))]
    public void Every_message_type_survives_a_round_trip(WorkerMessage message)
    {
        var line = ProtocolCodec.Serialize(message);

        ProtocolCodec.TryParse(line, out var parsed, out var error).ShouldBeTrue(error);
        line.ShouldNotContain('\n');
        ProtocolCodec.Serialize(parsed!).ShouldBe(line);
    }

    [Test]
    public void Writes_the_documented_wire_format()
    {
        ProtocolCodec.Serialize(new PortsMessage("::1", [new OpenPort(22, 0.5)], [23], []))
            .ShouldBe("""{"type":"ports","target":"::1","open":[{"port":22,"rttMs":0.5}],"closed":[23],"filtered":[]}""");
        ProtocolCodec.Serialize(new HelloMessage(3, 0, 7, "::1 1-2,9", 250, 1))
            .ShouldBe("""{"type":"hello","protocol":3,"worker":0,"pid":7,"work":"::1 1-2,9","timeoutMs":250,"concurrency":1}""");
        ProtocolCodec.Serialize(new HeartbeatMessage(40)).ShouldBe("""{"type":"heartbeat","finished":40}""");
    }

    [Test]
    public void Accepts_the_type_field_anywhere_in_the_object()
    {
        ProtocolCodec.TryParse("""{"message":"x","type":"error"}""", out var parsed, out var error).ShouldBeTrue(error);
        parsed.ShouldBe(new ErrorMessage("x"));
    }

    [TestCase("not json")]
    [TestCase("""{"type":"gossip"}""")]
    [TestCase("""{"open":1}""")]
    [TestCase("null")]
    [TestCase("""{"type":"done","open":"many"}""")]
    [TestCase("""{"type":"hello"}""")]
    public void Reports_a_bad_line_instead_of_throwing(string line)
    {
        ProtocolCodec.TryParse(line, out var parsed, out var error).ShouldBeFalse();
        parsed.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Worker_arguments_survive_a_round_trip(bool supervised)
    {
        PortSet.TryParse("100-200,300,400-401", out var ports, out _).ShouldBeTrue();
        var work = WorkSet.Of([
            (IPAddress.Parse("127.0.0.1"), ports),
            (IPAddress.Parse("127.0.0.2"), PortSet.All),
            (IPAddress.Parse("127.0.0.3"), PortSet.All),
            (IPAddress.IPv6Loopback, PortSet.Of(new PortRange(1, 9))),
        ]);
        var arguments = new WorkerArguments(work, 250, 64, 5, supervised);

        var list = arguments.ToArgumentList().ToList();
        list.Take(8).ShouldBe(["--target", "127.0.0.1", "--ports", "100-200,300,400-401", "--target", "127.0.0.2-127.0.0.3", "--ports", "1-65535"]);
        var parsed = WorkerArguments.Parse(list);
        parsed.Work.ShouldBe(work);
        parsed.Work.Items().ShouldBe(work.Items());
        (parsed with { Work = work }).ShouldBe(arguments);
    }

    [TestCase("--target", "localhost", "--ports", "1-2", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--ports", "5-2", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--ports", "1-2", "--timeout-ms", "0", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--ports", "1-2", "--timeout-ms", "1")]
    [TestCase("--target", "127.0.0.1", "--ports", "x", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--ports", "1,,2", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--start-port", "1", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.5-127.0.0.1", "--ports", "1", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1-::1", "--ports", "1", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--target", "127.0.0.1", "--target", "127.0.0.2", "--ports", "1", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--ports", "1", "--target", "127.0.0.1", "--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--timeout-ms", "1", "--concurrency", "1")]
    [TestCase("--nonsense", "1")]
    [TestCase("--target")]
    public void Worker_arguments_reject_bad_input_with_one_sentence(params string[] args)
    {
        var error = Should.Throw<FormatException>(() => WorkerArguments.Parse(args));
        error.Message.ShouldNotContain('\n');
    }

    [Test]
    public void Port_states_have_nmap_names()
    {
        Enum.GetValues<PortState>().Select(s => s.ToWireName()).ShouldBe(["unscanned", "open", "closed", "filtered"]);
        JsonSerializer.Serialize("open").ShouldBe("\"open\"");
    }
}
