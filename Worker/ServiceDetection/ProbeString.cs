using System.Globalization;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// The C escapes of a probe's payload (<c>q|GET / HTTP/1.0\r\n\r\n|</c>) and of <c>$SUBST</c>'s strings,
/// as nmap's <c>cstring_unescape</c> reads them: <c>\\</c>, <c>\0</c>, <c>\n</c>, <c>\r</c>, <c>\t</c> and
/// <c>\xHH</c> (exactly two hex digits), nothing else. Text is Latin-1: one char a byte.
/// </summary>
internal static class ProbeString
{
    /// <summary>The bytes; null for an escape nmap refuses.</summary>
    public static byte[]? Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }
            if (++i >= text.Length)
            {
                return null;
            }
            switch (text[i])
            {
                case '\\':
                    bytes.Add((byte)'\\');
                    break;
                case '0':
                    bytes.Add(0);
                    break;
                case 'n':
                    bytes.Add((byte)'\n');
                    break;
                case 'r':
                    bytes.Add((byte)'\r');
                    break;
                case 't':
                    bytes.Add((byte)'\t');
                    break;
                case 'x' when i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]):
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default:
                    return null;
            }
        }
        return [.. bytes];
    }
}
