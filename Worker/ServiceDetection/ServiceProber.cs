using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using PortScan.Shared.Ports;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Finds one port's service as nmap's service scan does (service_scan.cc), one probe at a time:
/// each probe on a connection of its own, its answer read until a line of the probe (or of its
/// fallbacks) matches or its <c>totalwaitms</c> is over, at most 4 KB. The NULL probe only listens;
/// when it hears nothing, the next probe is sent on its connection. A hard match ends the search;
/// a soft match names the service and narrows the probes still to send (<see cref="ProbeSequence"/>).
/// A match that says <c>ssl</c> restarts the search inside TLS, and the service is reported as nmap
/// does: <c>http</c> with tunnel <c>ssl</c> (<c>ssl/http</c>). A connection closed with nothing said,
/// sooner than the NULL probe's <c>tcpwrappedms</c>, is <c>tcpwrapped</c>.
/// </summary>
internal sealed class ServiceProber(ProbeDatabase database, int intensity)
{
    // nmap stops reading a probe's answer at 4 KB ("to avoid reading megs from services like chargen").
    private const int MaxResponse = 4096;

    private enum End
    {
        HardMatched,
        SoftMatched,
        NoMatch,
        TcpWrapped,
        Incomplete,
    }

    /// <summary>What the search knows so far: nmap's ServiceNFO.</summary>
    private sealed class Finding
    {
        public string? Name;
        public bool Soft;
        public string? Product, Version, ExtraInfo, Hostname, OsType, DeviceType, CpeA, CpeH, CpeO;
        public bool Tls;
        public bool TcpWrapPossible = true;

        /// <summary>Some probe got an answer: for a UDP port held as open|filtered, proof that it is open.</summary>
        public bool Heard;

        /// <summary>nmap's processMatch: a hard match, or the first soft one, fills what it has; true for a hard match.</summary>
        public bool Take(MatchDetails match)
        {
            if (match.Soft && Name is not null)
            {
                return false; // a soft match once is enough
            }
            Name = match.Service;
            TcpWrapPossible = false;
            Product = match.Product ?? Product;
            Version = match.Version ?? Version;
            ExtraInfo = match.ExtraInfo ?? ExtraInfo;
            Hostname = match.Hostname ?? Hostname;
            OsType = match.OsType ?? OsType;
            DeviceType = match.DeviceType ?? DeviceType;
            CpeA = match.CpeA ?? CpeA;
            CpeH = match.CpeH ?? CpeH;
            CpeO = match.CpeO ?? CpeO;
            Soft = match.Soft;
            return !match.Soft;
        }

        public void Forget()
        {
            Name = Product = Version = ExtraInfo = Hostname = OsType = DeviceType = CpeA = CpeH = CpeO = null;
            Soft = false;
        }
    }

    /// <param name="givenUp">True once the host is given up (--host-timeout): the search stops, as nmap's does.</param>
    /// <returns>The service, and whether any probe was answered.</returns>
    public async Task<(DetectedService Service, bool Answered)> IdentifyAsync(IPAddress address, Transport transport, int port, Func<bool> givenUp, CancellationToken stop)
    {
        if (database.Excluded[transport].Contains(port))
        {
            return (DetectedService.Unmatched("Excluded from version scan"), false);
        }
        var finding = new Finding();
        var sequence = new ProbeSequence(database, transport, port, intensity);
        var end = await SearchAsync(address, transport, port, finding, sequence, givenUp, stop).ConfigureAwait(false);
        return (Result(end, finding), finding.Heard);
    }

    private static async Task<End> SearchAsync(IPAddress address, Transport transport, int port, Finding finding, ProbeSequence sequence, Func<bool> givenUp, CancellationToken stop)
    {
        ServiceConnection? connection = null;
        var response = new List<byte>();
        var probe = sequence.Next(null);
        // After the NULL probe's silence the next probe goes on the same connection, and what it heard stays.
        var sameConnection = false;
        try
        {
            while (probe is not null)
            {
                if (givenUp())
                {
                    finding.TcpWrapPossible = false;
                    return End.Incomplete;
                }
                if (!sameConnection)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                    response.Clear();
                    try
                    {
                        connection = await ServiceConnection.OpenAsync(address, transport, port, finding.Tls, stop).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException && !stop.IsCancellationRequested)
                    {
                        return End.Incomplete;
                    }
                }
                sameConnection = false;
                var started = Stopwatch.GetTimestamp();
                var wait = TimeSpan.FromMilliseconds(probe.TotalWaitMs);
                if (!probe.IsNull && !await connection!.SendAsync(probe.Payload, wait, stop).ConfigureAwait(false))
                {
                    return End.Incomplete;
                }
                var (outcome, matched) = await ListenAsync(connection!, probe, response, finding, started, stop).ConfigureAwait(false);
                switch (outcome)
                {
                    case ServiceConnection.ReadEnd.Data when matched:
                        if (!finding.Tls && transport == Transport.Tcp && finding.Name == "ssl")
                        {
                            // nmap's scanThroughTunnel: the answer was a TLS handshake; look for what is inside.
                            finding.Forget();
                            finding.Tls = true;
                            sequence.RestartInTls();
                            probe = sequence.Next(null);
                            continue;
                        }
                        return End.HardMatched;
                    case ServiceConnection.ReadEnd.Data or ServiceConnection.ReadEnd.Timeout:
                        // Nothing matched in the probe's time (or in 4 KB).
                        finding.TcpWrapPossible = false;
                        sameConnection = probe.IsNull;
                        break;
                    case ServiceConnection.ReadEnd.Closed or ServiceConnection.ReadEnd.Reset:
                        if (response.Count > 0)
                        {
                            finding.TcpWrapPossible = false;
                        }
                        if (finding.TcpWrapPossible && probe.IsNull && Stopwatch.GetElapsedTime(started).TotalMilliseconds < probe.TcpWrappedMs)
                        {
                            return End.TcpWrapped;
                        }
                        break;
                    case ServiceConnection.ReadEnd.Unreachable:
                        finding.TcpWrapPossible = false;
                        return End.Incomplete;
                    default:
                        break; // a failed read (a TLS error, a broken pipe): the next probe, on a new connection
                }
                probe = sequence.Next(finding.Soft ? finding.Name : null);
            }
            return finding.Soft ? End.SoftMatched : End.NoMatch;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a probe's answer until a hard match, the end of its time, 4 KB, or the end of the connection.</summary>
    private static async Task<(ServiceConnection.ReadEnd End, bool HardMatch)> ListenAsync(
        ServiceConnection connection, ServiceProbe probe, List<byte> response, Finding finding, long started, CancellationToken stop)
    {
        while (true)
        {
            var left = TimeSpan.FromMilliseconds(probe.TotalWaitMs) - Stopwatch.GetElapsedTime(started);
            var end = await connection.ReadAsync(response, left, stop).ConfigureAwait(false);
            if (end != ServiceConnection.ReadEnd.Data)
            {
                return (end, false);
            }
            (finding.TcpWrapPossible, finding.Heard) = (false, true);
            var text = Encoding.Latin1.GetString([.. response]);
            foreach (var fallback in probe.Fallbacks)
            {
                if (fallback.Test(text) is { } match)
                {
                    if (finding.Take(match))
                    {
                        return (end, true);
                    }
                    break;
                }
            }
            if (response.Count >= MaxResponse || Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(probe.TotalWaitMs))
            {
                return (end, false);
            }
        }
    }

    /// <summary>nmap's processResults and setServiceProbeResults: what each way of ending reports.</summary>
    private static DetectedService Result(End end, Finding finding)
    {
        // nmap's end_svcprobe: a port that never said or matched anything and hung up (or could not be reached) is tcpwrapped.
        if (finding.TcpWrapPossible)
        {
            end = End.TcpWrapped;
        }
        var tunnel = finding.Tls ? DetectedService.Ssl : null;
        var name = finding.Name;
        if (name is not null && name.StartsWith("ssl/", StringComparison.Ordinal))
        {
            // Named as TLS-wrapped by the database itself (ssl/ldap): no need to look inside.
            (name, tunnel) = (name[4..], DetectedService.Ssl);
        }
        if (end == End.NoMatch)
        {
            return new DetectedService(DetectedService.Table, 3, [], Tunnel: tunnel);
        }
        var (method, conf) = end switch
        {
            End.HardMatched or End.SoftMatched => (DetectedService.Probed, 10),
            End.TcpWrapped => (DetectedService.Probed, 8),
            _ => (DetectedService.Table, 3),
        };
        if (end == End.TcpWrapped)
        {
            name ??= "tcpwrapped";
        }
        string[] cpe = [.. new[] { finding.CpeA, finding.CpeH, finding.CpeO }.OfType<string>().Select(c => Sane(c, DetectedService.FieldLength)!)];
        return new DetectedService(method, conf, cpe, Sane(name, DetectedService.FieldLength), Sane(finding.Product, DetectedService.FieldLength),
            Sane(finding.Version, DetectedService.FieldLength), Sane(finding.ExtraInfo, DetectedService.ExtraInfoLength),
            Sane(finding.Hostname, DetectedService.FieldLength), Sane(finding.OsType, DetectedService.TypeLength),
            Sane(finding.DeviceType, DetectedService.TypeLength), tunnel);
    }

    /// <summary>nmap's cstringSanityCheck: cut to the field's length, anything not printable ASCII as '.'.</summary>
    private static string? Sane(string? text, int length)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var cut = text.Length > length ? text[..length] : text;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and < '\x7F' ? source[i] : '.';
            }
        });
    }
}
