using System.Globalization;

namespace PortScan.Coordinator.Output;

/// <summary>A count and its noun, singular for one: "1 worker", "2 workers", "1,024 ports".</summary>
public static class Counted
{
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:#,0} {(count == 1 ? singular : plural ?? singular + "s")}");
}
