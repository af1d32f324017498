using System.Globalization;

namespace PortScan.Coordinator.Output;

/// <summary>Dates the way nmap writes them in its reports ("Sat Nov 21 12:25:37 2026"), in any culture.</summary>
public static class NmapDates
{
    public static string Format(DateTimeOffset time) => time.ToLocalTime().ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture);

    /// <summary>Seconds since the Unix epoch, XML's <c>start</c> and <c>time</c> attributes.</summary>
    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
