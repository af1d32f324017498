using System.Text;

namespace PortScan.Shared.Ports;

/// <summary>
/// What a TCP service sends first (<c>--banners</c>), made safe to show anywhere: printable ASCII
/// is kept, a backslash is doubled, CR, LF and tab become <c>\r</c>, <c>\n</c>, <c>\t</c>, every
/// other byte <c>\xNN</c> (nmap's escaping in its fingerprints). Trailing line breaks are dropped
/// and the text is cut to <see cref="MaxLength"/> characters, ending in <c>...</c> when cut. The
/// worker escapes, so the protocol and every report carry the same plain-ASCII text.
/// </summary>
public static class Banner
{
    /// <summary>The most a worker reads from a service: enough for any greeting, and bounded.</summary>
    public const int MaxBytes = 1024;

    /// <summary>The longest escaped banner, marker included: a terminal line and then some.</summary>
    public const int MaxLength = 200;

    private const string CutMarker = "...";

    public static string Escape(ReadOnlySpan<byte> data)
    {
        data = data.TrimEnd("\r\n\0"u8);
        var text = new StringBuilder();
        foreach (var b in data)
        {
            var escaped = b switch
            {
                (byte)'\\' => @"\\",
                (byte)'\r' => @"\r",
                (byte)'\n' => @"\n",
                (byte)'\t' => @"\t",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            };
            if (text.Length + escaped.Length > MaxLength - CutMarker.Length)
            {
                return text.Append(CutMarker).ToString();
            }
            text.Append(escaped);
        }
        return text.ToString();
    }

    /// <summary>True for text <see cref="Escape"/> could have written: the coordinator checks what a worker sends.</summary>
    public static bool IsWellFormed(string text) =>
        text.Length is > 0 and <= MaxLength && text.All(c => c is >= ' ' and < (char)0x7f);
}
