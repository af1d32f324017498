using System.Net;

namespace PortScan.Coordinator.Targets;

/// <summary>A target as the user wrote it and the one address every worker scans.</summary>
public sealed record ResolvedTarget
{
    /// <param name="name">The host name given, or the address itself for literals, blocks and ranges.</param>
    public ResolvedTarget(string name, IPAddress address)
    {
        Address = address;
        HostName = name == Text(address) ? null : name;
    }

    /// <summary>A target given as an address (a literal, or one of a block's or a range's).</summary>
    public static ResolvedTarget Of(IPAddress address) => new(address);

    private ResolvedTarget(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    /// <summary>The host name the user gave, or null when the target was an address.</summary>
    public string? HostName { get; }

    /// <summary>
    /// The host name given, or the address's text for literals, blocks and ranges. Formatted when
    /// asked, not kept: a sweep holds one target a host, and <see cref="IPAddress.ToString"/> would
    /// keep the text in the address (about 50 bytes a host).
    /// </summary>
    public string Name => HostName ?? Text(Address);

    /// <summary>"localhost (127.0.0.1)" for a name, "127.0.0.1" for an address, as nmap writes it.</summary>
    public override string ToString() => HostName is { } name ? $"{name} ({Address})" : Name;

    private static string Text(IPAddress address)
    {
        Span<char> text = stackalloc char[65];
        return address.TryFormat(text, out var written) ? new string(text[..written]) : address.ToString();
    }
}
