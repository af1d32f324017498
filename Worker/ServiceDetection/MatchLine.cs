namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// Reads a <c>match</c> or <c>softmatch</c> line as nmap's <c>InitMatch</c> and <c>next_template</c> do:
/// <c>SERVICE m|PATTERN|FLAGS</c> then templates, each a letter and any delimiter
/// (<c>p/OpenSSH/</c>, <c>v|$1|</c>) or <c>cpe:/…/</c>, whose text is the CPE, <c>cpe:/</c> included. Flags are
/// <c>i</c> (caseless) and <c>s</c> (dot matches newlines); a template's own flags (<c>cpe:/…/a</c>) are read and ignored.
/// </summary>
internal static class MatchLine
{
    /// <param name="text">The line after "match " or "softmatch ".</param>
    public static ServiceMatch Parse(string text, bool soft, int line)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw new FormatException("could not find the service name");
        }
        var service = text[..space];
        var position = space;
        if (Next(text, ref position) is not ({ } mode, { } pattern, { } flags) || mode != "m")
        {
            throw new FormatException("the pattern must be written m/…/");
        }
        bool ignoreCase = false, dotAll = false;
        foreach (var flag in flags)
        {
            switch (flag)
            {
                case 'i':
                    ignoreCase = true;
                    break;
                case 's':
                    dotAll = true;
                    break;
                default:
                    throw new FormatException($"illegal pattern option '{flag}'");
            }
        }
        var templates = new MatchTemplates();
        while (Next(text, ref position) is ({ } kind, { } template, _))
        {
            if (!templates.Add(kind, template))
            {
                throw new FormatException($"unknown template specifier '{kind}'");
            }
        }
        return new ServiceMatch(service, soft, pattern, ignoreCase, dotAll, line, templates);
    }

    /// <summary>The next template: its kind ("m", "p", … or "cpe"), its text and its flags; null at the end of the line.</summary>
    private static (string Kind, string Text, string Flags)? Next(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
        if (position >= text.Length)
        {
            return null;
        }
        var start = position;
        var letters = 0;
        while (letters < 3 && start + letters < text.Length && char.IsAsciiLetter(text[start + letters]))
        {
            letters++;
        }
        var kind = text.Substring(start, letters);
        var delimiterAt = start + letters;
        var cpe = kind == "cpe" && delimiterAt < text.Length && text[delimiterAt] == ':';
        if (cpe)
        {
            // cpe:/a:…/, kept as its CPE text. nmap's own file also has cpe:|h:…| once: any delimiter is read.
            delimiterAt++;
        }
        if (delimiterAt >= text.Length || char.IsWhiteSpace(text[delimiterAt]))
        {
            throw new FormatException($"'{kind}' is a bare word, not a template");
        }
        var delimiter = text[delimiterAt];
        var end = text.IndexOf(delimiter, delimiterAt + 1);
        if (end < 0)
        {
            throw new FormatException($"the {kind} template has no end delimiter '{delimiter}'");
        }
        var body = (cpe ? "cpe:/" : "") + text[(delimiterAt + 1)..end];
        position = end + 1;
        var flagsStart = position;
        while (position - flagsStart < 3 && position < text.Length && char.IsAsciiLetter(text[position]))
        {
            position++;
        }
        if (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            throw new FormatException($"the {kind} template's flags are too long");
        }
        return (kind, body, text[flagsStart..position]);
    }
}
