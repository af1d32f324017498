using System.Text.RegularExpressions;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// A match line's version templates: <c>p/</c> product, <c>v/</c> version, <c>i/</c> extra info,
/// <c>h/</c> host name, <c>o/</c> OS type, <c>d/</c> device type, and any number of <c>cpe:/…/</c>,
/// each kept in its part's one slot (application, hardware, OS: the last of a part wins, as in nmap).
/// Field sizes are nmap's (SERVICE_FIELD_LEN 80, SERVICE_EXTRA_LEN 256, SERVICE_TYPE_LEN 32).
/// </summary>
internal sealed class MatchTemplates
{
    private const int FieldLength = 80;
    private const int ExtraLength = 256;
    private const int TypeLength = 32;

    private readonly Dictionary<char, VersionTemplate> _fields = [];
    private readonly List<VersionTemplate> _cpes = [];

    /// <summary>Adds one template by its letter (p, v, i, h, o, d) or "cpe"; false for any other name.</summary>
    public bool Add(string kind, string text)
    {
        switch (kind)
        {
            case "p" or "v" or "h":
                _fields[kind[0]] = new VersionTemplate(text, FieldLength);
                return true;
            case "i":
                _fields['i'] = new VersionTemplate(text, ExtraLength);
                return true;
            case "o" or "d":
                _fields[kind[0]] = new VersionTemplate(text, TypeLength);
                return true;
            case "cpe":
                _cpes.Add(new VersionTemplate(text, FieldLength, cpe: true));
                return true;
            default:
                return false;
        }
    }

    public MatchDetails Fill(ServiceMatch line, Match match)
    {
        string? Field(char kind) => _fields.TryGetValue(kind, out var template) && template.Fill(match) is { Length: > 0 } value ? value : null;
        string? cpeA = null, cpeH = null, cpeO = null;
        foreach (var template in _cpes)
        {
            // "cpe:/a:…": the part is the letter after "cpe:/"; nmap ignores a template of any other part.
            var part = template.Text.Length > 5 ? template.Text[5] : '\0';
            if (part is not ('a' or 'h' or 'o'))
            {
                continue;
            }
            var value = template.Fill(match);
            switch (part)
            {
                case 'a':
                    cpeA = value;
                    break;
                case 'h':
                    cpeH = value;
                    break;
                default:
                    cpeO = value;
                    break;
            }
        }
        return new MatchDetails(line.Service, line.Soft, line.Line, Field('p'), Field('v'), Field('i'), Field('h'), Field('o'), Field('d'),
            NullIfEmpty(cpeA), NullIfEmpty(cpeH), NullIfEmpty(cpeO));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>What a matching line says: the service, whether it is a soft match, and the filled templates (null when absent or empty).</summary>
/// <param name="CpeA">The application's CPE (<c>cpe:/a:…</c>); <paramref name="CpeH"/> the hardware's, <paramref name="CpeO"/> the OS's.</param>
internal sealed record MatchDetails(
    string Service,
    bool Soft,
    int Line,
    string? Product,
    string? Version,
    string? ExtraInfo,
    string? Hostname,
    string? OsType,
    string? DeviceType,
    string? CpeA,
    string? CpeH,
    string? CpeO);
