using System.Globalization;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format csv</c>: a header row, then one row a port (open ones; every one with
/// --show-closed), hosts in scan order and ports ascending. Fields are quoted as RFC 4180 says
/// when they hold a comma, a quote or a line break.
/// </summary>
public static class CsvReport
{
    public const string Header = "target,address,port,protocol,state,service,rtt_ms";

    public static void Write(TextWriter writer, ReportContext context)
    {
        writer.WriteLine(Header);
        foreach (var host in context.Result.Hosts)
        {
            foreach (var (port, state, rtt) in host.Ports(context.ShowClosed))
            {
                writer.WriteLine(string.Join(',',
                    Field(host.Target.Name),
                    Field(host.Target.Address.ToString()),
                    port.ToString(CultureInfo.InvariantCulture),
                    "tcp",
                    state.ToWireName(),
                    Field(context.Services[port] ?? ""),
                    rtt?.ToString("0.###", CultureInfo.InvariantCulture) ?? ""));
            }
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
