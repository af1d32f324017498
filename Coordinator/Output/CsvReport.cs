using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format csv</c>: a header row, then one row a port (open ones; every one with
/// --show-closed; open and open|filtered ones with --open), hosts in scan order, TCP then UDP,
/// ports ascending. Fields are quoted as RFC 4180 says when they hold a comma, a quote or a line
/// break. <c>banner</c> is empty without one; <c>reason</c> is nmap's word, always there.
/// </summary>
public static class CsvReport
{
    public const string Header = "target,address,port,protocol,state,service,rtt_ms,banner,reason";

    public static void Write(TextWriter writer, ReportContext context)
    {
        writer.WriteLine(Header);
        foreach (var host in context.Result.Hosts)
        {
            foreach (var port in context.Shown.Of(host))
            {
                writer.WriteLine(string.Join(',',
                    Field(host.Target.Name),
                    Field(host.Target.Address.ToString()),
                    port.Port.ToString(CultureInfo.InvariantCulture),
                    port.Transport.ToWireName(),
                    Field(port.State.ToWireName()),
                    Field(context.Services[port.Transport, port.Port] ?? ""),
                    port.RttMs?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
                    Field(port.Banner ?? ""),
                    port.Reason.ToWireName()));
            }
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
