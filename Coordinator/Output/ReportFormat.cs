namespace PortScan.Coordinator.Output;

/// <summary>The report formats of <c>--format</c>; <c>-oN</c>, <c>-oX</c>, <c>-oG</c> and <c>-oA</c> name three of them nmap's way.</summary>
public enum ReportFormat
{
    Text,
    Json,
    Jsonl,
    Csv,
    Xml,
    Grepable,
}

public static class ReportFormats
{
    public static IReadOnlyList<string> Names { get; } = ["text", "json", "jsonl", "csv", "xml", "grepable"];

    public static ReportFormat Parse(string name) => Enum.Parse<ReportFormat>(name, ignoreCase: true);

    public static void Write(this ReportFormat format, TextWriter writer, ReportContext context)
    {
        switch (format)
        {
            case ReportFormat.Text:
                TextReport.Write(writer, context);
                break;
            case ReportFormat.Json:
                JsonReport.From(context).Write(writer);
                break;
            case ReportFormat.Jsonl:
                JsonLinesReport.Write(writer, context);
                break;
            case ReportFormat.Csv:
                CsvReport.Write(writer, context);
                break;
            case ReportFormat.Xml:
                XmlReport.Write(writer, context);
                break;
            case ReportFormat.Grepable:
                GrepableReport.Write(writer, context);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a report format");
        }
    }
}
