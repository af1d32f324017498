using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// One of a match line's version templates (<c>p/OpenSSH/</c>, <c>v/$1/</c>, <c>cpe:/a:openbsd:openssh:$1/</c>)
/// and how it is filled from a match, exactly as nmap's <c>dotmplsubst</c> does: <c>$1</c>…<c>$9</c> copy a
/// group, <c>$P(n)</c> copies only its printable characters, <c>$SUBST(n,"find","replace")</c> replaces
/// in it, <c>$I(n,"&gt;")</c> reads it as a big-endian (or <c>"&lt;"</c> little-endian) unsigned number.
/// Trailing spaces and commas are cut. A template that cannot be filled (a group that did not take
/// part, a result longer than nmap's field) gives nothing, as in nmap. In a CPE, what a substitution
/// puts in is lower-cased, spaces become '_' and CPE's reserved characters are %-escaped.
/// </summary>
internal sealed class VersionTemplate
{
    private readonly string _text;
    private readonly int _capacity;
    private readonly bool _cpe;

    /// <param name="capacity">nmap's buffer for the field, its NUL included: 80 for most, 256 for extra info, 32 for OS and device types.</param>
    public VersionTemplate(string text, int capacity, bool cpe = false)
    {
        _text = text;
        _capacity = capacity;
        _cpe = cpe;
    }

    public string Text => _text;

    /// <summary>The filled template; null when it cannot be filled (nmap then leaves the field empty).</summary>
    public string? Fill(Match match)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < _text.Length)
        {
            var dollar = _text.IndexOf('$', position);
            if (dollar < 0)
            {
                // Only literal text remains: nmap copies it while one byte is left for the NUL.
                for (; position < _text.Length; position++)
                {
                    if (result.Length >= _capacity - 1)
                    {
                        return null;
                    }
                    result.Append(_text[position]);
                }
                return Trimmed(result);
            }
            result.Append(_text, position, dollar - position);
            if (result.Length > _capacity - 1)
            {
                return null;
            }
            if (Substitute(dollar, match, out position) is not { } value)
            {
                return null;
            }
            if (_cpe)
            {
                value = CpeSafe(value);
            }
            if (result.Length + value.Length >= _capacity - 1)
            {
                return null;
            }
            result.Append(value);
        }
        return result.Length >= _capacity - 1 ? null : Trimmed(result);
    }

    private static string Trimmed(StringBuilder text) => text.ToString().TrimEnd(' ', '\t', '\n', '\v', '\f', '\r', ',');

    /// <summary>One $-variable starting at <paramref name="dollar"/>; null when nmap's substvar fails.</summary>
    private string? Substitute(int dollar, Match match, out int next)
    {
        var at = dollar + 1;
        next = at;
        if (at < _text.Length && char.IsAsciiDigit(_text[at]))
        {
            next = at + 1;
            return Group(match, _text[at] - '0') is { } group ? Latin1(group) : null;
        }
        var open = _text.IndexOf('(', at);
        if (open < 0 || open == at || open - at >= 16)
        {
            return null;
        }
        var command = _text[at..open];
        if (Arguments(open + 1, out next) is not { } arguments || arguments.Count == 0 || arguments[0] is not int number)
        {
            return null;
        }
        var bytes = Group(match, number);
        if (bytes is null)
        {
            return null;
        }
        switch (command)
        {
            case "P" when arguments.Count == 1:
                return new string([.. Latin1(bytes).Where(c => c is >= ' ' and < '\x7F')]);
            case "SUBST" when arguments.Count == 3 && arguments[1] is string find && arguments[2] is string replace:
                return find.Length == 0 ? Latin1(bytes) : Latin1(bytes).Replace(find, replace, StringComparison.Ordinal);
            case "I" when arguments.Count == 2 && arguments[1] is ">" or "<":
                if (bytes.Length > 8)
                {
                    return null;
                }
                ulong value = 0;
                var bigEndian = (string)arguments[1] == ">";
                for (var i = 0; i < bytes.Length; i++)
                {
                    value = (value << 8) + bytes[bigEndian ? i : bytes.Length - 1 - i];
                }
                return value.ToString(CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }

    /// <summary>A group's bytes; null for a group number nmap refuses or a group that took no part in the match.</summary>
    private static byte[]? Group(Match match, int number)
    {
        if (number is < 1 or > 9 || number >= match.Groups.Count || !match.Groups[number].Success)
        {
            return null;
        }
        return Encoding.Latin1.GetBytes(match.Groups[number].Value);
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>nmap's getsubstcommandargs: integers (strtol, base 0) and double-quoted strings with C escapes, up to ')'.</summary>
    private List<object>? Arguments(int start, out int next)
    {
        var arguments = new List<object>();
        var at = start;
        next = start;
        while (at < _text.Length && _text[at] != ')')
        {
            while (at < _text.Length && char.IsWhiteSpace(_text[at]))
            {
                at++;
            }
            if (at >= _text.Length || _text[at] == ')')
            {
                break;
            }
            if (arguments.Count == 5)
            {
                return null;
            }
            if (_text[at] == '"')
            {
                var raw = new StringBuilder();
                at++;
                while (at < _text.Length && !(_text[at] == '"' && (_text[at - 1] != '\\' || (at >= 2 && _text[at - 2] == '\\'))))
                {
                    raw.Append(_text[at++]);
                }
                if (at >= _text.Length || raw.Length >= 127 || ProbeString.Unescape(raw.ToString()) is not { } value)
                {
                    return null;
                }
                arguments.Add(Encoding.Latin1.GetString(value));
                at++;
            }
            else
            {
                var end = at;
                while (end < _text.Length && (char.IsAsciiHexDigit(_text[end]) || _text[end] is 'x' or 'X' or '-' or '+'))
                {
                    end++;
                }
                if (ParseInteger(_text[at..end]) is not { } number)
                {
                    return null;
                }
                arguments.Add(number);
                at = end;
            }
            var separator = _text.IndexOfAny([',', ')'], at);
            if (separator < 0)
            {
                return null;
            }
            at = _text[separator] == ',' ? separator + 1 : separator;
        }
        next = at < _text.Length ? at + 1 : at;
        return arguments;
    }

    /// <summary>strtol with base 0: decimal, 0x hex, 0 octal.</summary>
    private static int? ParseInteger(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        try
        {
            var value = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt32(digits[2..], 16)
                : digits.Length > 1 && digits[0] == '0' ? Convert.ToInt32(digits, 8)
                : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            return negative ? -value : value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>nmap's transform_cpe: CPE 2.2's reserved characters %-escaped, spaces as '_', the rest lower-case.</summary>
    private static string CpeSafe(string value)
    {
        var safe = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (":/?#[]@!$&'()*+,;=%<>\"".Contains(c, StringComparison.Ordinal))
            {
                safe.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
            }
            else if (c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            {
                safe.Append('_');
            }
            else
            {
                safe.Append(char.IsAsciiLetterUpper(c) ? char.ToLowerInvariant(c) : c);
            }
        }
        return safe.ToString();
    }
}
