using System.Net;
using System.Net.Sockets;
using PortScan.Coordinator.Cli;

namespace PortScan.Coordinator.Targets;

/// <summary>
/// Turns target specifications into the list of hosts to scan, in the coordinator and once: every
/// worker gets IP literals and no worker does a DNS lookup of its own.
/// </summary>
public static class TargetResolver
{
    /// <summary>
    /// Every host of <paramref name="targets"/> in the order given, each address once (the first
    /// name that gave it wins), without the hosts of <paramref name="excludes"/>. With
    /// <paramref name="family"/> (nmap's -4, -6) names resolve to that family only, and a literal
    /// of the other is the user's mistake.
    /// </summary>
    public static async Task<IReadOnlyList<ResolvedTarget>> ResolveAllAsync(
        IReadOnlyList<string> targets, IReadOnlyList<string> excludes, AddressFamily? family, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            throw new UsageException("no targets to scan");
        }
        var excluded = new HashSet<IPAddress>();
        foreach (var exclude in excludes)
        {
            foreach (var host in await ExpandAsync(TargetSpecification.Parse(exclude), family, cancellationToken).ConfigureAwait(false))
            {
                excluded.Add(host.Address);
            }
        }

        var seen = new HashSet<IPAddress>();
        var hosts = new List<ResolvedTarget>();
        foreach (var target in targets)
        {
            foreach (var host in await ExpandAsync(TargetSpecification.Parse(target), family, cancellationToken).ConfigureAwait(false))
            {
                if (family is { } only && host.Address.AddressFamily != only)
                {
                    throw new UsageException($"'{target}' is {Name(host.Address.AddressFamily)}, and {(only == AddressFamily.InterNetworkV6 ? "-6" : "-4")} scans {Name(only)} only");
                }
                if (!excluded.Contains(host.Address) && seen.Add(host.Address))
                {
                    hosts.Add(host);
                    if (hosts.Count > TargetSpecification.MaxHosts)
                    {
                        throw new UsageException($"the targets name more than {TargetSpecification.MaxHosts:N0} hosts; split the scan");
                    }
                }
            }
        }
        return hosts.Count > 0
            ? hosts
            : throw new UsageException("every target was excluded: nothing to scan");
    }

    /// <summary>One target, as the original single-target scan took it: a name or a literal.</summary>
    public static async Task<ResolvedTarget> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        var hosts = await ExpandAsync(TargetSpecification.Parse(text), null, cancellationToken).ConfigureAwait(false);
        return hosts.Count == 1 ? hosts[0] : throw new UsageException($"'{text}' is {hosts.Count} hosts, not one");
    }

    private static string Name(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static async Task<IReadOnlyList<ResolvedTarget>> ExpandAsync(TargetSpecification target, AddressFamily? family, CancellationToken cancellationToken)
    {
        if (target.HostName is not { } name)
        {
            // Literals, blocks and ranges are named by their address: only host names are names.
            return [.. target.Addresses.Select(ResolvedTarget.Of)];
        }
        var address = await LookUpAsync(name, family, cancellationToken).ConfigureAwait(false);
        return target.Prefix is null
            ? [new ResolvedTarget(target.Text, address)]
            : [.. TargetSpecification.Block(target.Text, address, target.Prefix).Select(ResolvedTarget.Of)];
    }

    private static async Task<IPAddress> LookUpAsync(string name, AddressFamily? family, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            throw new UsageException($"cannot resolve host '{name}'");
        }
        // Like nmap, prefer IPv4 when a name has both (localhost usually does), unless -4 or -6 chose.
        return family is { } only
            ? addresses.FirstOrDefault(a => a.AddressFamily == only) ?? throw new UsageException($"host '{name}' has no {Name(only)} address")
            : addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6)
                ?? throw new UsageException($"cannot resolve host '{name}'");
    }
}
