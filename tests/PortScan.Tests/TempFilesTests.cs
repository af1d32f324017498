using System.Runtime.CompilerServices;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>Neither the product nor its tests leave files behind in the temporary directory.</summary>
public class TempFilesTests
{
    [Test]
    public async Task A_scan_that_writes_every_report_leaves_nothing_in_the_temporary_directory()
    {
        var tmp = TestTemp.Directory("tmpdir");
        var reports = TestTemp.Directory("reports");
        var worker = WorkerDoubles.Scripted("hello");

        var run = await ProcessRun.RunAsync("env",
            [$"TMPDIR={tmp.FullName}", Binaries.Coordinator, "scan", "127.0.0.1", "-p", "1", "-oA", Path.Combine(reports.FullName, "scan"), "--worker-path", worker]);

        run.ExitCode.ShouldBe(0, run.ToString());
        tmp.GetFileSystemInfos().Select(f => f.Name).ShouldBeEmpty("the scan left these in TMPDIR");
    }

    [Test]
    public void Tests_make_temporary_files_only_through_TestTemp_which_removes_them()
    {
        var tests = Path.GetDirectoryName(SourceFile())!;
        string[] leaks = ["CreateTempSubdirectory", "GetTempFileName", "GetTempPath"];

        var offenders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.EndsWith("TestTemp.cs", StringComparison.Ordinal) && f != SourceFile())
            .Where(f => leaks.Any(File.ReadAllText(f).Contains))
            .Select(Path.GetFileName);

        offenders.ShouldBeEmpty("these make temporary files that no clean-up removes; use TestTemp.Directory");
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
