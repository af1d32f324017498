using PortScan.Shared.Ports;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Which probe a port gets next, as nmap's <c>ServiceNFO::nextProbe</c> decides: the NULL probe
/// first (TCP), then, in file order, every probe of the port's protocol meant for this port
/// (<c>ports</c>, or <c>sslports</c> inside TLS) whatever its rarity, then the others whose rarity is
/// at most the intensity. Once a soft match has named the service, only probes with a line that
/// can name it are sent, and rarity no longer matters; at intensity 9 (<c>--version-all</c>) a soft
/// match narrows nothing.
/// </summary>
internal sealed class ProbeSequence(ProbeDatabase database, Transport transport, int port, int intensity)
{
    private enum Stage
    {
        Initial,
        Null,
        ForThisPort,
        Others,
        Finished,
    }

    private Stage _stage = Stage.Initial;
    private int _index = -1;

    /// <summary>Inside TLS: <c>sslports</c> decide which probes are meant for the port.</summary>
    public bool Tls { get; private set; }

    /// <summary>The probe after the current one; null when there is none left.</summary>
    /// <param name="softMatch">The service a soft match named so far, if any.</param>
    public ServiceProbe? Next(string? softMatch)
    {
        if (_stage == Stage.Initial)
        {
            _stage = Stage.Null;
            if (transport == Transport.Tcp && database.NullProbe is { } nullProbe)
            {
                return nullProbe;
            }
        }
        if (_stage == Stage.Null)
        {
            (_stage, _index) = (Stage.ForThisPort, -1);
        }
        if (_stage == Stage.ForThisPort)
        {
            while (++_index < database.Probes.Count)
            {
                var probe = database.Probes[_index];
                if (probe.Transport == transport && probe.IsFor(port, Tls) && Narrowed(probe, softMatch))
                {
                    return probe;
                }
            }
            (_stage, _index) = (Stage.Others, -1);
        }
        if (_stage == Stage.Others)
        {
            while (++_index < database.Probes.Count)
            {
                var probe = database.Probes[_index];
                if (probe.Transport == transport && !probe.IsFor(port, Tls)
                    && (softMatch is null ? probe.Rarity <= intensity : Narrowed(probe, softMatch)))
                {
                    return probe;
                }
            }
            _stage = Stage.Finished;
        }
        return null;
    }

    /// <summary>Starts over inside TLS, the NULL probe first, as nmap does once a probe's answer says "ssl".</summary>
    public void RestartInTls()
    {
        Tls = true;
        (_stage, _index) = (Stage.Initial, -1);
    }

    private bool Narrowed(ServiceProbe probe, string? softMatch) =>
        softMatch is null || intensity >= Shared.Protocol.VersionDetection.All || probe.CanFind(softMatch);
}
