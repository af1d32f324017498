using System.Text.RegularExpressions;

namespace PortScan.Worker.ServiceDetection;

/// <summary>
/// One <c>match</c> or <c>softmatch</c> line: the service it names, its pattern, and the version
/// templates that fill in what the response says. The pattern is translated (<see cref="PcreTranslator"/>)
/// and compiled when first used, so a worker pays only for the probes it runs: nmap's file has 11,917
/// patterns, measured at about a second to translate and compile in all (NmapProbeFileTests).
/// </summary>
internal sealed class ServiceMatch
{
    /// <summary>
    /// How long one match may run. nmap gives PCRE a budget of 50,000 backtracking steps; a pattern
    /// that needs more than this on a 4 KB response is one that PCRE would have stopped too.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly bool _ignoreCase;
    private readonly RegexOptions _options;
    private string? _translated;
    private Regex? _regex;

    public ServiceMatch(string service, bool soft, string pattern, bool ignoreCase, bool dotAll, int line, MatchTemplates templates)
    {
        Service = service;
        Soft = soft;
        Pattern = pattern;
        Line = line;
        Templates = templates;
        _ignoreCase = ignoreCase;
        DotAll = dotAll;
        _options = RegexOptions.CultureInvariant | (dotAll ? RegexOptions.Singleline : RegexOptions.None);
    }

    public string Service { get; }
    public bool Soft { get; }
    public string Pattern { get; }
    public int Line { get; }

    /// <summary>The s flag: a dot matches newlines too.</summary>
    public bool DotAll { get; }
    public MatchTemplates Templates { get; }

    /// <summary>The pattern in .NET's syntax (translated once): the check a database gets before a scan.</summary>
    /// <exception cref="FormatException">PCRE syntax .NET has no equivalent for, or a malformed pattern.</exception>
    public string Translate() => _translated ??= PcreTranslator.Translate(Pattern, _ignoreCase);

    /// <summary>Translates and compiles the pattern (once).</summary>
    /// <exception cref="FormatException">PCRE syntax .NET has no equivalent for.</exception>
    /// <exception cref="ArgumentException">.NET refuses the translated pattern.</exception>
    public Regex Compile() => _regex ??= new Regex(Translate(), _options, MatchTimeout);

    /// <summary>What this line says of <paramref name="response"/> (Latin-1, a char a byte); null when it does not match or ran out of time.</summary>
    public MatchDetails? Test(string response)
    {
        Match match;
        try
        {
            match = Compile().Match(response);
        }
        catch (RegexMatchTimeoutException)
        {
            return null; // as nmap's PCRE errors: no match, the scan goes on
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null; // the coordinator compiled every pattern before the scan: only a file changed since can get here
        }
        return match.Success ? Templates.Fill(this, match) : null;
    }
}
