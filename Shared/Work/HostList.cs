using System.Net;
using System.Text;

namespace PortScan.Shared.Work;

/// <summary>
/// The text form of a list of IP addresses on a worker's command line and in reports: runs of
/// consecutive addresses are written as <c>first-last</c>, so a /16 is one short item and a list
/// of unrelated hosts is a comma list: <c>127.0.0.1-127.0.0.8,::1</c>. IPv6 has no '-', so the
/// dash is never ambiguous.
/// </summary>
public static class HostList
{
    public static string Format(IReadOnlyList<IPAddress> hosts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < hosts.Count; i++)
        {
            var first = i;
            while (i + 1 < hosts.Count && AddressArithmetic.Follows(hosts[i], hosts[i + 1]))
            {
                i++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(hosts[first]);
            if (i > first)
            {
                text.Append('-').Append(hosts[i]);
            }
        }
        return text.ToString();
    }

    /// <summary>Parses what <see cref="Format"/> writes; at most <paramref name="limit"/> addresses.</summary>
    public static bool TryParse(string text, int limit, out IReadOnlyList<IPAddress> hosts, out string error)
    {
        var list = new List<IPAddress>();
        hosts = list;
        foreach (var item in text.Split(','))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? item : item[..dash];
            var lastText = dash < 0 ? item : item[(dash + 1)..];
            if (!IPAddress.TryParse(firstText, out var first) || !IPAddress.TryParse(lastText, out var last)
                || first.AddressFamily != last.AddressFamily)
            {
                error = $"'{item}' is not an IP address or a range of them";
                return false;
            }
            var from = AddressArithmetic.ToNumber(first);
            var to = AddressArithmetic.ToNumber(last);
            if (to < from)
            {
                error = $"'{item}' is a range that runs backwards";
                return false;
            }
            if (to - from >= (UInt128)(limit - list.Count))
            {
                error = $"'{text}' names more than {limit} addresses";
                return false;
            }
            list.Add(first);
            for (var n = from + 1; n <= to; n++)
            {
                list.Add(AddressArithmetic.FromNumber(n, first));
            }
        }
        error = "";
        return true;
    }
}
