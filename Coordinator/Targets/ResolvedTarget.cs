using System.Net;

namespace PortScan.Coordinator.Targets;

/// <summary>A target as the user wrote it and the one address every worker scans.</summary>
/// <param name="Name">The host name given, or the address itself for literals, blocks and ranges.</param>
public sealed record ResolvedTarget(string Name, IPAddress Address)
{
    /// <summary>The host name the user gave, or null when the target was an address.</summary>
    public string? HostName => Name == Address.ToString() ? null : Name;

    /// <summary>"localhost (127.0.0.1)" for a name, "127.0.0.1" for an address, as nmap writes it.</summary>
    public override string ToString() => HostName is { } name ? $"{name} ({Address})" : Name;
}
