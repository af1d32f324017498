using System.Buffers.Binary;
using PortScan.Worker;

namespace PortScan.Tests;

/// <summary>The UDP probes are well-formed requests of their protocols, checked field by field.</summary>
public class UdpProbesTests
{
    [TestCase(53)]
    [TestCase(5353)]
    public void Dns_probes_are_one_question_queries_whose_name_ends_where_the_question_does(int port)
    {
        var probe = UdpProbes.For(port).ToArray();

        BinaryPrimitives.ReadUInt16BigEndian(probe.AsSpan(2)).ShouldBeLessThan((ushort)0x8000, "QR 0: a query");
        BinaryPrimitives.ReadUInt16BigEndian(probe.AsSpan(4)).ShouldBe((ushort)1, "one question");
        probe.AsSpan(6, 6).ToArray().ShouldAllBe(b => b == 0, "no answer, authority or additional records");
        var at = 12;
        while (probe[at] != 0)
        {
            at += probe[at] + 1;
        }
        (probe.Length - (at + 1)).ShouldBe(4, "QTYPE and QCLASS follow the name and end the message");
        (BinaryPrimitives.ReadUInt16BigEndian(probe.AsSpan(at + 3)) & 0x7fff).ShouldBe(1, "class IN");
    }

    [Test]
    public void Ntp_probe_is_a_48_byte_version_4_client_request()
    {
        var probe = UdpProbes.For(123).ToArray();

        probe.Length.ShouldBe(48);
        (probe[0] & 0x7).ShouldBe(3, "mode 3: client");
        ((probe[0] >> 3) & 0x7).ShouldBe(4, "version 4");
    }

    [Test]
    public void Snmp_probe_is_valid_ber_whose_every_length_matches_its_contents()
    {
        var probe = UdpProbes.For(161).ToArray();

        CheckTlv(probe, 0, probe.Length).ShouldBe(probe.Length);
        probe.AsSpan(7, 6).ToArray().ShouldBe("public"u8.ToArray());
    }

    [Test]
    public void Rpc_probe_is_a_null_call_to_the_portmapper()
    {
        var probe = UdpProbes.For(111).ToArray();

        probe.Length.ShouldBe(40);
        BinaryPrimitives.ReadUInt32BigEndian(probe.AsSpan(4)).ShouldBe(0u, "CALL");
        BinaryPrimitives.ReadUInt32BigEndian(probe.AsSpan(12)).ShouldBe(100000u, "portmapper");
        BinaryPrimitives.ReadUInt32BigEndian(probe.AsSpan(20)).ShouldBe(0u, "procedure 0, NULL");
    }

    [Test]
    public void Other_ports_get_an_empty_datagram_as_nmap_sends()
    {
        UdpProbes.For(40000).Length.ShouldBe(0);
        UdpProbes.Ports.ShouldBe([53, 111, 123, 137, 161, 1900, 5353], ignoreOrder: true);
    }

    /// <summary>Walks a BER element at <paramref name="at"/>; constructed ones (bit 0x20) are walked inside. Returns where it ends.</summary>
    private static int CheckTlv(byte[] data, int at, int end)
    {
        var length = data[at + 1];
        length.ShouldBeLessThan((byte)0x80, "short-form lengths only");
        var contentEnd = at + 2 + length;
        contentEnd.ShouldBeLessThanOrEqualTo(end);
        if ((data[at] & 0x20) != 0)
        {
            var inner = at + 2;
            while (inner < contentEnd)
            {
                inner = CheckTlv(data, inner, contentEnd);
            }
            inner.ShouldBe(contentEnd);
        }
        return contentEnd;
    }
}
