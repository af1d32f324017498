using System.Globalization;
using System.Text;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Rewrites a PCRE pattern of nmap-service-probes into a .NET pattern that matches the same
/// strings. Responses are bytes, read as Latin-1 (one char a byte, 0–255), and nmap compiles its
/// patterns with PCRE2's default tables, which are ASCII: <c>\w</c> is <c>[0-9A-Za-z_]</c>, <c>\s</c>
/// is <c>[\t\n\v\f\r ]</c>, and the <c>i</c> flag folds only A–Z. .NET's are Unicode-aware, and
/// differ on Latin-1's letters and spaces (<c>é</c>, <c>µ</c>, <c>\xA0</c>, <c>\x85</c>): measured in
/// PcreTranslatorTests, where RegexOptions.ECMAScript (ASCII classes) is refused for the <c>s</c>
/// flag and lookbehinds are. So every class is written out as the exact set of bytes PCRE gives it,
/// case-insensitivity is spelled out (<c>a</c> as <c>[Aa]</c>) instead of left to
/// RegexOptions.IgnoreCase, and <c>\b</c> is written with ASCII word characters.
/// <para>
/// PCRE's possessive quantifiers (<c>X*+</c>, <c>X++</c>, <c>X?+</c>, <c>X{m,n}+</c>), which .NET
/// lacks, become atomic groups (<c>(?&gt;X*)</c>), their exact meaning. Named groups become plain
/// ones so that groups keep PCRE's left-to-right numbers (.NET numbers named groups last), which
/// the templates' <c>$1</c> refer to. What .NET cannot do (recursion, <c>\K</c>, branch reset,
/// Unicode properties) is refused with a <see cref="FormatException"/>.
/// </para>
/// </summary>
internal sealed class PcreTranslator
{
    private const string WordChars = "0-9A-Za-z_";

    // Every byte as the pattern text that matches it alone, with and without i: made once, looked up a character at a time.
    private static readonly string[] Plain = [.. Enumerable.Range(0, 256).Select(c => LiteralText((char)c, ignoreCase: false))];
    private static readonly string[] Caseless = [.. Enumerable.Range(0, 256).Select(c => LiteralText((char)c, ignoreCase: true))];
    private static readonly Dictionary<char, string> EscapeClasses = "dDwWsShHvV".ToDictionary(c => c, c => Class(ClassEscape(c)!));

    private readonly string _pattern;
    private readonly StringBuilder _out = new();
    private readonly Stack<(int Start, bool IgnoreCase)> _groups = new();
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly int _totalGroups;
    private int _position;
    private int _captures;
    private bool _ignoreCase;
    // Where the last quantifiable thing starts in the output, for wrapping a possessive quantifier's atom.
    private int _atom = -1;

    private PcreTranslator(string pattern, bool ignoreCase)
    {
        _pattern = pattern;
        _ignoreCase = ignoreCase;
        _totalGroups = CountCaptures(pattern);
    }

    /// <summary>The .NET pattern; <paramref name="ignoreCase"/> is the match line's <c>i</c> flag.</summary>
    /// <exception cref="FormatException">A construct .NET cannot express, or a malformed pattern, with its offset.</exception>
    public static string Translate(string pattern, bool ignoreCase)
    {
        var translator = new PcreTranslator(pattern, ignoreCase);
        translator.Run();
        return translator._out.ToString();
    }

    private void Run()
    {
        while (_position < _pattern.Length)
        {
            var c = _pattern[_position++];
            switch (c)
            {
                case '\\':
                    Escape();
                    break;
                case '[':
                    Atom(Class(ParseClass()));
                    break;
                case '(':
                    OpenGroup();
                    break;
                case ')':
                    CloseGroup();
                    break;
                case '*' or '+' or '?':
                    Quantifier(c.ToString());
                    break;
                case '{' when QuantifierBraces() is { } braces:
                    Quantifier(braces);
                    break;
                case '{' or '}':
                    Atom("\\" + c);
                    break;
                case '^' or '$' or '|':
                    _out.Append(c);
                    _atom = -1;
                    break;
                case '.':
                    Atom(".");
                    break;
                default:
                    Atom(Literal(c));
                    break;
            }
        }
        if (_groups.Count > 0)
        {
            throw Error("a group is not closed");
        }
    }

    private void Atom(string text)
    {
        _atom = _out.Length;
        _out.Append(text);
    }

    private void Quantifier(string quantifier)
    {
        if (_atom < 0)
        {
            throw Error($"'{quantifier}' follows nothing to repeat");
        }
        var start = _atom;
        _out.Append(quantifier);
        if (_position < _pattern.Length && _pattern[_position] == '+')
        {
            // Possessive: exactly an atomic group around the quantified atom.
            _position++;
            _out.Insert(start, "(?>").Append(')');
        }
        else if (_position < _pattern.Length && _pattern[_position] == '?')
        {
            _position++;
            _out.Append('?');
        }
        // A quantifier is not itself repeatable (PCRE refuses "a**").
        _atom = -1;
    }

    /// <summary>"{2}", "{2,}", "{2,5}" when a valid quantifier starts at the brace just read; null when the brace is a literal, as in PCRE.</summary>
    private string? QuantifierBraces()
    {
        var end = _pattern.IndexOf('}', _position);
        if (end < 0)
        {
            return null;
        }
        var body = _pattern[_position..end];
        var parts = body.Split(',');
        var valid = parts.Length is 1 or 2 && parts[0].Length > 0 && parts.All(p => p.All(char.IsAsciiDigit));
        if (!valid)
        {
            return null;
        }
        _position = end + 1;
        return "{" + body + "}";
    }

    private void OpenGroup()
    {
        var start = _out.Length;
        var outer = _ignoreCase;
        if (Peek('?'))
        {
            _position++;
            var rest = _pattern.AsSpan(_position);
            if (rest.StartsWith("#"))
            {
                // A comment: gone, as in PCRE.
                var end = _pattern.IndexOf(')', _position);
                _position = end < 0 ? throw Error("a comment is not closed") : end + 1;
                return;
            }
            if (rest.StartsWith(":") || rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith(">"))
            {
                _out.Append("(?").Append(rest[0]);
                _position++;
            }
            else if (rest.StartsWith("<=") || rest.StartsWith("<!"))
            {
                _out.Append("(?").Append(rest[..2]);
                _position += 2;
            }
            else if (rest.StartsWith("P<") || rest.StartsWith("<") || rest.StartsWith("'"))
            {
                // A named group: numbered as PCRE numbers it, left to right with the others.
                _position += rest[0] == 'P' ? 2 : 1;
                var close = rest[0] == '\'' ? '\'' : '>';
                var end = _pattern.IndexOf(close, _position);
                if (end < 0)
                {
                    throw Error("a group name is not closed");
                }
                _names[_pattern[_position..end]] = ++_captures;
                _position = end + 1;
                _out.Append('(');
            }
            else if (rest.StartsWith("P=") && _pattern.IndexOf(')', _position) is var nameEnd and > 0)
            {
                var name = _pattern[(_position + 2)..nameEnd];
                _position = nameEnd + 1;
                Atom(Backreference(_names.TryGetValue(name, out var number) ? number : throw Error($"no group is named '{name}'")));
                return;
            }
            else
            {
                InlineFlags(start, outer);
                return;
            }
        }
        else
        {
            _captures++;
            _out.Append('(');
        }
        _groups.Push((start, outer));
        _atom = -1;
    }

    /// <summary>(?i), (?-i), (?s), (?im-s:…): i is applied here, s and m are .NET's too.</summary>
    private void InlineFlags(int start, bool outer)
    {
        var on = true;
        var passed = new StringBuilder();
        var ignoreCase = _ignoreCase;
        while (_position < _pattern.Length && _pattern[_position] is not (')' or ':'))
        {
            var flag = _pattern[_position++];
            switch (flag)
            {
                case '-':
                    on = false;
                    passed.Append('-');
                    break;
                case 'i':
                    ignoreCase = on;
                    break;
                case 's' or 'm':
                    passed.Append(flag);
                    break;
                default:
                    throw Error($"'(?{flag}' is not supported");
            }
        }
        if (_position >= _pattern.Length)
        {
            throw Error("a group is not closed");
        }
        var flags = passed.ToString().TrimEnd('-');
        if (_pattern[_position++] == ')')
        {
            // To the end of the enclosing group.
            if (flags.Length > 0)
            {
                _out.Append("(?").Append(flags).Append(')');
            }
            _ignoreCase = ignoreCase;
            return;
        }
        _out.Append("(?").Append(flags).Append(':');
        _groups.Push((start, outer));
        _ignoreCase = ignoreCase;
        _atom = -1;
    }

    private void CloseGroup()
    {
        if (_groups.Count == 0)
        {
            throw Error("')' closes no group");
        }
        var (start, outer) = _groups.Pop();
        _out.Append(')');
        _ignoreCase = outer;
        _atom = start;
    }

    private void Escape()
    {
        if (_position >= _pattern.Length)
        {
            throw Error("the pattern ends with a backslash");
        }
        var c = _pattern[_position++];
        switch (c)
        {
            case 'b':
                Atom($"(?:(?<=[{WordChars}])(?![{WordChars}])|(?<![{WordChars}])(?=[{WordChars}]))");
                return;
            case 'B':
                Atom($"(?:(?<=[{WordChars}])(?=[{WordChars}])|(?<![{WordChars}])(?![{WordChars}]))");
                return;
            case 'A' or 'z' or 'Z' or 'G':
                _out.Append('\\').Append(c);
                _atom = -1;
                return;
            case 'Q':
                var end = _pattern.IndexOf("\\E", _position, StringComparison.Ordinal);
                var quoted = end < 0 ? _pattern[_position..] : _pattern[_position..end];
                _position = end < 0 ? _pattern.Length : end + 2;
                foreach (var q in quoted)
                {
                    Atom(Literal(q));
                }
                return;
            case 'E':
                return; // \E with no \Q: PCRE ignores it
            case 'R':
                Atom("(?:\r\n|[\n\x0B\f\r\x85])");
                return;
            case 'N':
                Atom("[^\n]");
                return;
            case 'k' or 'g':
                Atom(NamedOrNumberedReference(c));
                return;
            case >= '1' and <= '9':
                Atom(NumberedEscape(c));
                return;
        }
        if (EscapeClasses.TryGetValue(c, out var set))
        {
            Atom(set);
            return;
        }
        Atom(Literal(CharEscape(c)));
    }

    /// <summary>\1…\9 and longer: a backreference when there are that many groups (or fewer than 10), else octal, as PCRE reads it.</summary>
    private string NumberedEscape(char first)
    {
        var start = _position - 1;
        while (_position < _pattern.Length && char.IsAsciiDigit(_pattern[_position]))
        {
            _position++;
        }
        var digits = _pattern[start.._position];
        var number = int.Parse(digits, CultureInfo.InvariantCulture);
        if (number < 10 || number <= _totalGroups)
        {
            return Backreference(number);
        }
        // Octal: up to three octal digits; PCRE takes \8 and \9 as the literal digits.
        _position = start;
        if (first is '8' or '9')
        {
            _position++;
            return Literal(first);
        }
        var value = 0;
        for (var i = 0; i < 3 && _position < _pattern.Length && _pattern[_position] is >= '0' and <= '7'; i++)
        {
            value = (value * 8) + (_pattern[_position++] - '0');
        }
        return Literal((char)(value & 0xFF));
    }

    private string NamedOrNumberedReference(char kind)
    {
        if (_position >= _pattern.Length)
        {
            throw Error($"\\{kind} needs a group");
        }
        var open = _pattern[_position];
        var close = open switch { '<' => '>', '{' => '}', '\'' => '\'', _ => '\0' };
        string name;
        if (close == '\0')
        {
            if (kind == 'k' || !char.IsAsciiDigit(open))
            {
                throw Error($"\\{kind} needs a group");
            }
            var start = _position;
            while (_position < _pattern.Length && char.IsAsciiDigit(_pattern[_position]))
            {
                _position++;
            }
            name = _pattern[start.._position];
        }
        else
        {
            var end = _pattern.IndexOf(close, _position + 1);
            if (end < 0)
            {
                throw Error($"\\{kind} is not closed");
            }
            name = _pattern[(_position + 1)..end];
            _position = end + 1;
        }
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Backreference(number);
        }
        return _names.TryGetValue(name, out var named) ? Backreference(named) : throw Error($"no group is named '{name}'");
    }

    private string Backreference(int number) =>
        // Under i a backreference matches caselessly, as in PCRE.
        _ignoreCase ? $"(?i:\\k<{number}>)" : $"\\k<{number}>";

    /// <summary>The set of a class escape (\d, \w, \s, \h, \v and their negations); null for any other escape.</summary>
    private static bool[]? ClassEscape(char c)
    {
        var set = c switch
        {
            'd' or 'D' => Set("0123456789"),
            'w' or 'W' => Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"),
            's' or 'S' => Set("\t\n\x0B\f\r "),
            'h' or 'H' => Set("\t \xA0"),
            'v' or 'V' => Set("\n\x0B\f\r\x85"),
            _ => null,
        };
        if (set is not null && char.IsUpper(c))
        {
            Negate(set);
        }
        return set;
    }

    /// <summary>A single-character escape outside or inside a class.</summary>
    private char CharEscape(char c)
    {
        switch (c)
        {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'f':
                return '\f';
            case 'e':
                return '\x1B';
            case 'a':
                return '\a';
            case 'x':
                return (char)HexEscape();
            case 'o':
                return (char)BracedNumber(8);
            case '0':
                var value = 0;
                for (var i = 0; i < 2 && _position < _pattern.Length && _pattern[_position] is >= '0' and <= '7'; i++)
                {
                    value = (value * 8) + (_pattern[_position++] - '0');
                }
                return (char)value;
            case 'c':
                if (_position >= _pattern.Length)
                {
                    throw Error("\\c needs a character");
                }
                return (char)(char.ToUpperInvariant(_pattern[_position++]) ^ 0x40);
            case var letter when char.IsAsciiLetterOrDigit(letter):
                throw Error($"\\{letter} is not supported");
            default:
                return c; // an escaped symbol is itself
        }
    }

    /// <summary>\xH, \xHH or \x{H…}: PCRE reads up to two hex digits after \x, and \x alone is NUL.</summary>
    private int HexEscape()
    {
        if (Peek('{'))
        {
            return BracedNumber(16);
        }
        var value = 0;
        for (var i = 0; i < 2 && _position < _pattern.Length && char.IsAsciiHexDigit(_pattern[_position]); i++)
        {
            value = (value * 16) + Convert.ToInt32(_pattern[_position++].ToString(), 16);
        }
        return value;
    }

    private int BracedNumber(int radix)
    {
        var end = _pattern.IndexOf('}', _position);
        if (!Peek('{') || end < 0)
        {
            throw Error("a braced character code is not closed");
        }
        var text = _pattern[(_position + 1)..end];
        _position = end + 1;
        int value;
        try
        {
            value = Convert.ToInt32(text, radix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw Error($"'{text}' is not a character code");
        }
        // Responses are bytes: a code above 255 can never match, as it never can in nmap.
        return value <= 0xFF ? value : throw Error($"character code {value} is above 255");
    }

    /// <summary>Reads a class after its '[' as PCRE does; returns its set of bytes (case-folded under i).</summary>
    private bool[] ParseClass()
    {
        var set = new bool[256];
        var negated = Peek('^');
        if (negated)
        {
            _position++;
        }
        var first = true;
        while (true)
        {
            if (_position >= _pattern.Length)
            {
                throw Error("a character class is not closed");
            }
            var c = _pattern[_position++];
            if (c == ']' && !first)
            {
                break;
            }
            first = false;
            if (c == '[' && Peek(':') && PosixClass() is { } posix)
            {
                Union(set, posix);
                continue;
            }
            int low;
            if (c == '\\')
            {
                var escaped = _position < _pattern.Length ? _pattern[_position++] : throw Error("the pattern ends with a backslash");
                if (ClassEscape(escaped) is { } named)
                {
                    Union(set, named);
                    continue;
                }
                low = escaped switch
                {
                    'b' => '\b',
                    >= '1' and <= '7' => OctalInClass(escaped),
                    'Q' or 'E' => throw Error("\\Q in a character class is not supported"),
                    _ => CharEscape(escaped),
                };
            }
            else
            {
                low = c;
            }
            var high = low;
            if (Peek('-') && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                var save = _position;
                _position++;
                var end = _pattern[_position++];
                if (end == '\\')
                {
                    var escaped = _position < _pattern.Length ? _pattern[_position++] : throw Error("the pattern ends with a backslash");
                    if (ClassEscape(escaped) is not null)
                    {
                        // "a-\d": the '-' is a literal, as PCRE2 reads it.
                        _position = save;
                        AddRange(set, low, low);
                        continue;
                    }
                    high = escaped switch { 'b' => '\b', >= '1' and <= '7' => OctalInClass(escaped), _ => CharEscape(escaped) };
                }
                else if (end == '[' && Peek(':'))
                {
                    _position = save;
                    AddRange(set, low, low);
                    continue;
                }
                else
                {
                    high = end;
                }
                if (high < low)
                {
                    throw Error("a range in a character class is out of order");
                }
            }
            AddRange(set, low, high);
        }
        if (negated)
        {
            Negate(set);
        }
        return set;
    }

    private int OctalInClass(char first)
    {
        var value = first - '0';
        for (var i = 0; i < 2 && _position < _pattern.Length && _pattern[_position] is >= '0' and <= '7'; i++)
        {
            value = (value * 8) + (_pattern[_position++] - '0');
        }
        return value & 0xFF;
    }

    private void AddRange(bool[] set, int low, int high)
    {
        for (var c = low; c <= high && c < 256; c++)
        {
            set[c] = true;
            if (_ignoreCase && char.IsAsciiLetter((char)c))
            {
                set[c ^ 0x20] = true;
            }
        }
    }

    /// <summary>[:alpha:], [:^digit:] and the other POSIX names, with ASCII meanings; null when '[:' starts no such name.</summary>
    private bool[]? PosixClass()
    {
        var end = _pattern.IndexOf(":]", _position + 1, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        var name = _pattern[(_position + 1)..end];
        var negated = name.StartsWith('^');
        var set = new bool[256];
        Func<char, bool>? member = (negated ? name[1..] : name) switch
        {
            "alpha" => char.IsAsciiLetter,
            "digit" => char.IsAsciiDigit,
            "alnum" => char.IsAsciiLetterOrDigit,
            "upper" => _ignoreCase ? char.IsAsciiLetter : char.IsAsciiLetterUpper,
            "lower" => _ignoreCase ? char.IsAsciiLetter : char.IsAsciiLetterLower,
            "xdigit" => char.IsAsciiHexDigit,
            "space" => c => c is '\t' or '\n' or '\x0B' or '\f' or '\r' or ' ',
            "blank" => c => c is ' ' or '\t',
            "punct" => c => c is > ' ' and < '\x7F' && !char.IsAsciiLetterOrDigit(c),
            "print" => c => c is >= ' ' and < '\x7F',
            "graph" => c => c is > ' ' and < '\x7F',
            "cntrl" => c => c < ' ' || c == '\x7F',
            "word" => c => char.IsAsciiLetterOrDigit(c) || c == '_',
            "ascii" => c => c < '\x80',
            _ => null,
        };
        if (member is null)
        {
            throw Error($"[:{name}:] is not a POSIX class");
        }
        for (var c = 0; c < 256; c++)
        {
            set[c] = member((char)c) != negated;
        }
        _position = end + 2;
        return set;
    }

    /// <summary>A literal character: escaped when .NET would read it otherwise, both cases under i.</summary>
    private string Literal(char c) => c > '\xFF' ? Hex(c) : (_ignoreCase ? Caseless : Plain)[c];

    private static string LiteralText(char c, bool ignoreCase)
    {
        if (ignoreCase && char.IsAsciiLetter(c))
        {
            return $"[{char.ToUpperInvariant(c)}{char.ToLowerInvariant(c)}]";
        }
        return c is > ' ' and < '\x7F' && char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ',' or ':' or ';' or '"' or '\'' or '/' or '%' or '@' or '!' or '&' or '=' or '<' or '>' or '~' or '`'
            ? c.ToString()
            : Hex(c);
    }

    /// <summary>An explicit .NET class of exactly the bytes in <paramref name="set"/>.</summary>
    private static string Class(bool[] set)
    {
        var text = new StringBuilder("[");
        var any = false;
        for (var c = 0; c < 256; c++)
        {
            if (!set[c])
            {
                continue;
            }
            var end = c;
            while (end + 1 < 256 && set[end + 1])
            {
                end++;
            }
            text.Append(Hex((char)c));
            if (end > c)
            {
                text.Append(end > c + 1 ? "-" : "").Append(Hex((char)end));
            }
            c = end;
            any = true;
        }
        return any ? text.Append(']').ToString() : "(?!)";
    }

    private static string Hex(char c) => c <= '\xFF' ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}";

    private static bool[] Set(string members)
    {
        var set = new bool[256];
        foreach (var c in members)
        {
            set[c] = true;
        }
        return set;
    }

    private static void Union(bool[] into, bool[] other)
    {
        for (var c = 0; c < 256; c++)
        {
            into[c] |= other[c];
        }
    }

    private static void Negate(bool[] set)
    {
        for (var c = 0; c < 256; c++)
        {
            set[c] = !set[c];
        }
    }

    private bool Peek(char c) => _position < _pattern.Length && _pattern[_position] == c;

    /// <summary>How many capturing groups the pattern has, for telling a backreference from an octal escape as PCRE does.</summary>
    private static int CountCaptures(string pattern)
    {
        var count = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when !inClass:
                    inClass = true;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        i++;
                    }
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        i++;
                    }
                    break;
                case ']' when inClass:
                    inClass = false;
                    break;
                case '(' when !inClass:
                    var named = i + 2 < pattern.Length && pattern[i + 1] == '?' && (pattern[i + 2] is '<' or '\'' or 'P')
                        && !(pattern.AsSpan(i + 2).StartsWith("<=") || pattern.AsSpan(i + 2).StartsWith("<!") || pattern.AsSpan(i + 2).StartsWith("P="));
                    if (i + 1 >= pattern.Length || pattern[i + 1] != '?' || named)
                    {
                        count++;
                    }
                    break;
            }
        }
        return count;
    }

    private FormatException Error(string problem) => new($"{problem} (at offset {_position})");
}
