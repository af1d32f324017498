using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Shared.Protocol;
using PortScan.Worker.ServiceDetection;

namespace PortScan.Coordinator.Commands;

/// <summary>
/// nmap's version detection options: <c>-sV</c>, <c>--version-intensity</c>, <c>--version-light</c>,
/// <c>--version-all</c>, and <c>--version-db</c> (nmap's <c>--versiondb</c>), made into the scan's
/// <see cref="VersionDetection"/>. The database is read and every pattern translated here, before any
/// worker starts, so a bad file is the user's mistake (exit code 2) and not a failure of every worker.
/// </summary>
internal sealed class VersionOptions
{
    private readonly Option<bool> _enabled = new("-sV")
    {
        Description = "Probe every open port for its service and version, as nmap's -sV (nothing is sent to a port without it)",
    };
    private readonly Option<int?> _intensity = new("--version-intensity")
    {
        HelpName = "0-9",
        Description = $"With -sV: send probes up to this rarity (nmap's scale); a probe meant for the port is always sent. Default {VersionDetection.DefaultIntensity}",
        CustomParser = result => OptionFactory.ParseCount(result, "--version-intensity", 0, VersionDetection.All),
    };
    private readonly Option<bool> _light = new("--version-light") { Description = $"--version-intensity {VersionDetection.Light}: faster, finds less" };
    private readonly Option<bool> _all = new("--version-all") { Description = $"--version-intensity {VersionDetection.All}: every probe" };
    private readonly Option<string?> _database = new("--version-db", "--versiondb")
    {
        HelpName = "FILE",
        Description = "With -sV: probe with this file (nmap-service-probes format) instead of portscan's own, as nmap's --versiondb; "
            + "nmap's /usr/share/nmap/nmap-service-probes is under the Nmap Public Source License",
    };

    public IReadOnlyList<Option> All => [_enabled, _intensity, _light, _all, _database];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    /// <summary>The scan's version detection, null without -sV; contradictions and a bad database are exit code 2.</summary>
    public VersionDetection? Version(ParseResult parse)
    {
        var intensity = parse.GetValue(_intensity);
        var light = parse.GetValue(_light);
        var all = parse.GetValue(_all);
        var database = parse.GetValue(_database);
        if (!parse.GetValue(_enabled))
        {
            if (intensity is not null || light || all || database is not null)
            {
                throw new UsageException("--version-intensity, --version-light, --version-all and --version-db need -sV");
            }
            return null;
        }
        if ((intensity is null ? 0 : 1) + (light ? 1 : 0) + (all ? 1 : 0) > 1)
        {
            throw new UsageException("--version-intensity, --version-light and --version-all contradict each other: give one");
        }
        return new VersionDetection(intensity ?? (light ? VersionDetection.Light : all ? VersionDetection.All : VersionDetection.DefaultIntensity), Checked(database));
    }

    /// <summary>
    /// The database's full path once every line is read and every pattern translated; null for
    /// portscan's own, which each worker reads next to itself (checked here in this machine's copy).
    /// A method of its own, so that only a scan with -sV loads the worker's assembly, where the parser is.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string? Checked(string? database)
    {
        var path = Path.GetFullPath(database ?? ProbeDatabase.DefaultPath);
        if (!File.Exists(path))
        {
            throw new UsageException(database is null
                ? $"portscan's probe database is missing ({path}): reinstall portscan, or give --version-db FILE"
                : $"--version-db '{database}' does not exist");
        }
        try
        {
            ProbeDatabase.Load(path).Check(database ?? ProbeDatabase.DefaultFileName);
        }
        catch (ProbeFileException e)
        {
            throw new UsageException($"{(database is null ? "portscan's probe database" : "--version-db")}: {e.Message}");
        }
        return database is null ? null : path;
    }
}
