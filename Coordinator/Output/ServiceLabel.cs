using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// The SERVICE column as nmap writes it (portlist.cc's getNmapServiceName). Without -sV: the services
/// file's name, or nothing. With -sV: the probed name, or the file's; <c>ssl/</c> before a service found
/// inside TLS; a <c>?</c> after an open port's name that was not probed (nmap's "not sure": conf 5 or
/// less); <c>unknown</c> when there is no name at all.
/// </summary>
public static class ServiceLabel
{
    public static string? Of(PortResult port, ServiceNames names, bool versionScan)
    {
        var table = names[port.Transport, port.Port];
        if (!versionScan)
        {
            return table;
        }
        var service = port.Service;
        var tunnel = service?.Tunnel == DetectedService.Ssl ? "ssl/" : "";
        var name = service?.Name ?? table;
        if (name is null || name == "unknown")
        {
            return tunnel + "unknown";
        }
        var unsure = port.State == PortState.Open && (service is null || service.Conf <= 5);
        return tunnel + name + (unsure ? "?" : "");
    }

    /// <summary>nmap's VERSION column (product, version, "(extra info)"); empty without one.</summary>
    public static string Version(PortResult port) => port.Service?.FullVersion() ?? "";
}
