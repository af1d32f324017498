namespace PortScan.Shared.Protocol;

/// <summary>
/// <c>-sV</c>: the workers probe every open port for its service and version (nmap's algorithm),
/// sending probes of the database at <paramref name="Database"/> (nmap-service-probes format) up to
/// <paramref name="Intensity"/>, nmap's <c>--version-intensity</c>: a probe whose rarity is above
/// it is sent only to the ports it names. A null database is portscan's own, the file next to each
/// worker: a worker started through ssh or srun reads its own machine's copy, not a path of the
/// coordinator's. Absent: nothing is ever sent to a port.
/// </summary>
public sealed record VersionDetection(int Intensity, string? Database)
{
    /// <summary>nmap's default --version-intensity.</summary>
    public const int DefaultIntensity = 7;

    /// <summary>--version-light.</summary>
    public const int Light = 2;

    /// <summary>--version-all: every probe, and a soft match no longer narrows them.</summary>
    public const int All = 9;

    public string? Problem() =>
        Intensity is < 0 or > All ? $"the version intensity must be from 0 to {All}" : Database is { Length: 0 } ? "the version database needs a path" : null;
}
