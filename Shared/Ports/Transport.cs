namespace PortScan.Shared.Ports;

/// <summary>
/// The transport a port belongs to. TCP port 53 and UDP port 53 are different ports with
/// different states, as in nmap's output ("53/tcp", "53/udp").
/// </summary>
public enum Transport
{
    Tcp,
    Udp,
}

public static class TransportNames
{
    /// <summary>"tcp" or "udp": nmap's word, used in every output format and on the wire.</summary>
    public static string ToWireName(this Transport transport) => transport == Transport.Tcp ? "tcp" : "udp";

    public static bool TryParse(string text, out Transport transport)
    {
        transport = text == "udp" ? Transport.Udp : Transport.Tcp;
        return text is "tcp" or "udp";
    }
}
