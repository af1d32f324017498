using System.Text;
using System.Text.RegularExpressions;
using PortScan.Worker.ServiceDetection;

namespace PortScan.Tests;

/// <summary>
/// nmap compiles its patterns with PCRE2's default (ASCII) tables and matches them against bytes;
/// portscan reads a response as Latin-1 and must match exactly what PCRE matches.
/// </summary>
public class PcreTranslatorTests
{
    private static bool Matches(string pattern, string subject, bool ignoreCase = false, bool dotAll = false) =>
        new Regex(PcreTranslator.Translate(pattern, ignoreCase), dotAll ? RegexOptions.Singleline : RegexOptions.None, TimeSpan.FromSeconds(1)).IsMatch(subject);

    [TestCase(@"^\w+$", "abc_09", true)]
    [TestCase(@"^\w+$", "caf\u00e9", false)] // é is a word character to .NET, not to PCRE's ASCII tables
    [TestCase(@"^\w+$", "\u00b5", false)]
    [TestCase(@"^a\sb$", "a\u00a0b", false)] // no-break space: white space to .NET only
    [TestCase(@"^a\sb$", "a\u0085b", false)]
    [TestCase(@"^a\sb$", "a\u000Bb", true)] // vertical tab: PCRE2's \s has it
    [TestCase(@"^[^\W\d]+$", "abc", true)]
    [TestCase(@"^[^\W\d]+$", "ab1", false)]
    [TestCase(@"^[[:alpha:]]+ [[:digit:]]+$", "abc 123", true)]
    [TestCase(@"^[[:^space:]]+$", "a\u00a0b", true)]
    [TestCase(@"\bword\b", "a word here", true)]
    [TestCase(@"\bword\b", "\u00e9word", true)] // é is not a word character: the boundary is there
    [TestCase(@"^\x41\x{42}\103\0$", "ABC\0", true)]
    [TestCase(@"^\Qa.b\E$", "a.b", true)]
    [TestCase(@"^\Qa.b\E$", "axb", false)]
    [TestCase(@"^a{2,3}b$", "aaab", true)]
    [TestCase(@"^x{y$", "x{y", true)] // a brace that starts no quantifier is itself
    [TestCase(@"^(a)(?:b)(?<name>c)\k<name>\1$", "abcca", true)]
    [TestCase(@"^v\R", "v\r\n", true)]
    [TestCase(@"^\d+(?# a comment)$", "42", true)]
    public void Classes_escapes_and_groups_match_what_PCRE_matches(string pattern, string subject, bool expected) =>
        Matches(pattern, subject).ShouldBe(expected, $"{pattern} against {Escape(subject)}");

    [TestCase("^server$", "SERVER", true)]
    [TestCase("^caf\u00e9$", "CAF\u00c9", false)] // PCRE folds only A-Z: É is not é's capital to nmap
    [TestCase("^[a-c]+$", "ABC", true)]
    [TestCase("^[^a]$", "A", false)]
    [TestCase("^a(?-i)b$", "AB", false)]
    [TestCase("^a(?-i)b$", "Ab", true)]
    public void The_i_flag_folds_only_ASCII_letters(string pattern, string subject, bool expected) =>
        Matches(pattern, subject, ignoreCase: true).ShouldBe(expected, $"{pattern}/i against {Escape(subject)}");

    [TestCase(@"^a++a", "aaa", false)] // possessive: the a's are never given back
    [TestCase(@"^a+a", "aaa", true)]
    [TestCase(@"^(?:ab)*+ab", "ababab", false)]
    [TestCase(@"^[\d]{1,3}+\d", "1234", true)]
    [TestCase(@"^[\d]{1,4}+\d", "1234", false)]
    [TestCase(@"^\w?+b", "b", false)] // the b is taken by \w and never given back, as in PCRE
    public void Possessive_quantifiers_become_atomic_groups(string pattern, string subject, bool expected) =>
        Matches(pattern, subject).ShouldBe(expected, $"{pattern} against {subject}");

    [Test]
    public void A_named_group_keeps_its_PCRE_number_for_the_templates()
    {
        var regex = new Regex(PcreTranslator.Translate(@"^(?<first>\w+) (\d+)$", false));

        var match = regex.Match("nginx 122");

        match.Groups[1].Value.ShouldBe("nginx");
        match.Groups[2].Value.ShouldBe("122");
    }

    [Test]
    public void The_s_flag_lets_a_dot_match_a_newline()
    {
        Matches("^a.b$", "a\nb").ShouldBeFalse();
        Matches("^a.b$", "a\nb", dotAll: true).ShouldBeTrue();
    }

    [TestCase(@"\p{L}")]
    [TestCase(@"a\Kb")]
    [TestCase(@"(a")]
    [TestCase(@"a)")]
    [TestCase(@"[abc")]
    [TestCase(@"*a")]
    public void What_dotnet_cannot_express_is_refused_with_a_reason(string pattern) =>
        Should.Throw<FormatException>(() => PcreTranslator.Translate(pattern, false)).Message.ShouldContain("offset");

    private static string Escape(string text) => string.Concat(text.Select(c => c is >= ' ' and < '\x7F' ? c.ToString() : $"\\x{(int)c:x2}"));

    [Test]
    public void Bytes_read_as_Latin1_are_one_char_each()
    {
        var bytes = new byte[] { 0x16, 0x03, 0x01, 0xFF, 0x80 };

        var text = Encoding.Latin1.GetString(bytes);

        Matches(@"^\x16\x03[\x00-\x03]\xff\x80$", text).ShouldBeTrue();
    }
}
