using System.Buffers.Binary;
using System.Text;

namespace PortScan.Worker;

/// <summary>
/// What to send to a UDP port. Most services ignore a datagram they cannot parse, so an empty one
/// would leave them <c>open|filtered</c>; to well-known ports a well-formed request goes instead,
/// one each service answers (docs/design.md lists them; nmap's nmap-payloads does the same).
/// Every other port gets an empty datagram, as nmap sends.
/// </summary>
internal static class UdpProbes
{
    private static readonly Dictionary<int, byte[]> ByPort = new()
    {
        [53] = DnsQuery(id: 0x7073, "", type: 2, unicastResponse: false),                      // DNS: NS of the root
        [111] = RpcNullCall(xid: 0x70737363, program: 100000, version: 2),                      // portmapper NULL call
        [123] = NtpClientRequest(),                                                            // NTPv4 client request
        [137] = NetBiosNodeStatus(),                                                           // NetBIOS NBSTAT *
        [161] = SnmpGetRequest("public", [1, 3, 6, 1, 2, 1, 1, 1, 0]),                         // SNMPv1 sysDescr.0
        [1900] = Encoding.ASCII.GetBytes(
            "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"), // SSDP
        [5353] = DnsQuery(id: 0, "_services._dns-sd._udp.local", type: 12, unicastResponse: true), // mDNS service list
    };

    /// <summary>The ports with a probe of their own, for the docs and tests.</summary>
    public static IReadOnlyCollection<int> Ports => ByPort.Keys;

    public static ReadOnlySpan<byte> For(int port) => ByPort.TryGetValue(port, out var probe) ? probe : [];

    /// <summary>A standard query (RFC 1035 §4.1) for one name; mDNS asks for a unicast reply (RFC 6762 §5.4).</summary>
    private static byte[] DnsQuery(ushort id, string name, ushort type, bool unicastResponse)
    {
        var message = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), unicastResponse ? (ushort)0 : (ushort)0x0100); // RD for DNS
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1); // QDCOUNT
        message.AddRange(header);
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }
        message.Add(0);
        message.AddRange([(byte)(type >> 8), (byte)type, unicastResponse ? (byte)0x80 : (byte)0, 1]); // QTYPE, QCLASS IN (+QU)
        return [.. message];
    }

    /// <summary>ONC RPC (RFC 5531) call of procedure 0, which every program answers, with no credentials.</summary>
    private static byte[] RpcNullCall(uint xid, uint program, uint version)
    {
        var words = new uint[] { xid, 0 /* CALL */, 2 /* RPC version */, program, version, 0 /* NULL */, 0, 0, 0, 0 /* auth and verifier: none */ };
        var message = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(i * 4), words[i]);
        }
        return message;
    }

    /// <summary>RFC 5905: 48 bytes, LI 3 (unsynchronised), version 4, mode 3 (client); a server answers in mode 4.</summary>
    private static byte[] NtpClientRequest()
    {
        var message = new byte[48];
        message[0] = 0xe3;
        message[2] = 4;    // poll interval 2^4 s
        message[3] = 0xfa; // precision 2^-6 s
        return message;
    }

    /// <summary>RFC 1002 §4.2.17: a node status request for the wildcard name "*".</summary>
    private static byte[] NetBiosNodeStatus()
    {
        var message = new List<byte> { 0x70, 0x73, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20 };
        // "*" padded with NULs to 16 bytes, each byte split into two nibbles + 'A'.
        var name = new byte[16];
        name[0] = (byte)'*';
        foreach (var b in name)
        {
            message.Add((byte)('A' + (b >> 4)));
            message.Add((byte)('A' + (b & 0xf)));
        }
        message.AddRange([0x00, 0x00, 0x21, 0x00, 0x01]); // end of name, NBSTAT, class IN
        return [.. message];
    }

    /// <summary>An SNMPv1 GetRequest (RFC 1157) in BER: what any SNMP agent with that community answers.</summary>
    private static byte[] SnmpGetRequest(string community, int[] oid)
    {
        var encodedOid = new List<byte> { (byte)((oid[0] * 40) + oid[1]) };
        encodedOid.AddRange(oid.Skip(2).Select(n => (byte)n)); // every arc here is below 128
        var varBind = Tlv(0x30, [.. Tlv(0x06, [.. encodedOid]), .. Tlv(0x05, [])]);
        var pdu = Tlv(0xa0, [.. Tlv(0x02, [0x70, 0x73]), .. Tlv(0x02, [0]), .. Tlv(0x02, [0]), .. Tlv(0x30, varBind)]);
        return Tlv(0x30, [.. Tlv(0x02, [0]), .. Tlv(0x04, Encoding.ASCII.GetBytes(community)), .. pdu]);
    }

    private static byte[] Tlv(byte tag, byte[] value) => [tag, (byte)value.Length, .. value];
}
