using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format csv</c>: a header row, then one row a port (open ones; every one with
/// --show-closed; open and open|filtered ones with --open), hosts in scan order, TCP then UDP,
/// ports ascending. Fields are quoted as RFC 4180 says when they hold a comma, a quote or a line
/// break. <c>banner</c> is empty without one; <c>reason</c> is nmap's word, always there. With -sV,
/// <see cref="VersionColumns"/> follow, so the columns before them keep their places: an open port's
/// <c>service</c> is then the probed name (else the services file's), and <c>cpe</c> lists its CPEs
/// separated by spaces.
/// </summary>
public static class CsvReport
{
    public const string Header = "target,address,port,protocol,state,service,rtt_ms,banner,reason";

    public const string VersionColumns = "product,version,extra_info,hostname,os_type,device_type,cpe,method,conf,tunnel";

    public static void Write(TextWriter writer, ReportContext context)
    {
        var versions = context.Result.Request.Version is not null;
        writer.WriteLine(versions ? $"{Header},{VersionColumns}" : Header);
        foreach (var host in context.Result.Hosts)
        {
            foreach (var port in context.Shown.Of(host))
            {
                var service = versions && port.State == PortState.Open ? port.Service ?? DetectedService.Unmatched() : null;
                string[] row =
                [
                    Field(host.Target.Name),
                    Field(host.Target.Address.ToString()),
                    port.Port.ToString(CultureInfo.InvariantCulture),
                    port.Transport.ToWireName(),
                    Field(port.State.ToWireName()),
                    Field(service?.Name ?? context.Services[port.Transport, port.Port] ?? ""),
                    port.RttMs?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
                    Field(port.Banner ?? ""),
                    port.Reason.ToWireName(),
                ];
                if (versions)
                {
                    row =
                    [
                        .. row, Field(service?.Product ?? ""), Field(service?.Version ?? ""), Field(service?.ExtraInfo ?? ""),
                        Field(service?.Hostname ?? ""), Field(service?.OsType ?? ""), Field(service?.DeviceType ?? ""),
                        Field(string.Join(' ', service?.Cpe ?? [])), service?.Method ?? "",
                        service is null ? "" : service.Conf.ToString(CultureInfo.InvariantCulture), service?.Tunnel ?? "",
                    ];
                }
                writer.WriteLine(string.Join(',', row));
            }
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
