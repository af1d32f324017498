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
        var compile = Stopwatch.StartNew();
        var compiled = database.CompileAll(path);
        compile.Stop();

        TestContext.Out.WriteLine($"{path}: {probes} probes, {compiled} patterns; parsed in {parse.ElapsedMilliseconds} ms, compiled in {compile.ElapsedMilliseconds} ms");
        compiled.ShouldBe(expected, "every match and softmatch line is one compiled pattern");
        (database.Probes.Count + (database.NullProbe is null ? 0 : 1)).ShouldBe(probes);
        database.NullProbe.ShouldNotBeNull().TotalWaitMs.ShouldBeGreaterThan(0);
    }
}
