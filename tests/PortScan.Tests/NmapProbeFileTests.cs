using System.Diagnostics;
using PortScan.Worker.ServiceDetection;

namespace PortScan.Tests;

/// <summary>
/// nmap's own nmap-service-probes, read at run time where Debian's nmap package installed it (never
/// copied into the repository: it is under the Nmap Public Source License). Every probe and every
/// pattern must load, as nmap loads them.
/// </summary>
public class NmapProbeFileTests
{
    private const string NmapFile = "/usr/share/nmap/nmap-service-probes";

    private static string RequireNmapFile()
    {
        if (!File.Exists(NmapFile))
        {
            Assert.Ignore($"{NmapFile} is not installed (apt-get install nmap)");
        }
        return NmapFile;
    }

    [Test]
    public void Every_pattern_of_nmaps_file_compiles_and_they_are_counted()
    {
        var path = RequireNmapFile();
        var expected = File.ReadLines(path, System.Text.Encoding.Latin1).Count(l => l.StartsWith("match ", StringComparison.Ordinal) || l.StartsWith("softmatch ", StringComparison.Ordinal));
        var probes = File.ReadLines(path, System.Text.Encoding.Latin1).Count(l => l.StartsWith("Probe ", StringComparison.Ordinal));

        var parse = Stopwatch.StartNew();
        var database = ProbeDatabase.Load(path);
        parse.Stop();
        var translate = Stopwatch.StartNew();
        database.Check(path);
        translate.Stop();
        var compile = Stopwatch.StartNew();
        var compiled = 0;
        foreach (var match in database.Matches)
        {
            match.Compile();
            compiled++;
        }
        compile.Stop();

        TestContext.Out.WriteLine($"{path}: {probes} probes, {compiled} patterns; parsed in {parse.ElapsedMilliseconds} ms, translated in {translate.ElapsedMilliseconds} ms, compiled in {compile.ElapsedMilliseconds} ms");
        compiled.ShouldBe(expected, "every match and softmatch line is one compiled pattern");
        (database.Probes.Count + (database.NullProbe is null ? 0 : 1)).ShouldBe(probes);
        database.NullProbe.ShouldNotBeNull().TotalWaitMs.ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// Why the patterns are translated instead of compiled with RegexOptions.ECMAScript, .NET's ASCII
    /// mode: it refuses the s flag (RegexOptions.Singleline) and lookbehinds, and so a share of nmap's file.
    /// </summary>
    [Test]
    public void ECMAScript_mode_would_refuse_part_of_nmaps_file()
    {
        var database = ProbeDatabase.Load(RequireNmapFile());
        var refused = 0;
        var total = 0;
        foreach (var match in database.Matches)
        {
            total++;
            var options = System.Text.RegularExpressions.RegexOptions.ECMAScript;
            try
            {
                _ = new System.Text.RegularExpressions.Regex(match.Pattern, match.DotAll ? options | System.Text.RegularExpressions.RegexOptions.Singleline : options);
            }
            catch (ArgumentException)
            {
                refused++;
            }
        }

        TestContext.Out.WriteLine($"RegexOptions.ECMAScript refuses {refused} of {total} patterns of {NmapFile}");
        refused.ShouldBeGreaterThan(0);
    }
}
