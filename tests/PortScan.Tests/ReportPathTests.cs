using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// A report the user asked for is never lost: a path that cannot take it is refused before the scan,
/// a write that fails at the end keeps the report elsewhere, and "-" is stdout, as in nmap. The
/// workers are scripted stand-ins: no network traffic.
/// </summary>
public class ReportPathTests
{
    private static string Worker => WorkerDoubles.Scripted("hello");

    [TestCase("directory")]
    [TestCase("/proc/version")]
    public async Task A_report_path_that_cannot_be_written_is_refused_before_the_scan_in_one_line(string path)
    {
        var directory = TestTemp.Directory("reportpath");
        var target = path == "directory" ? directory.FullName : path;

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-o", target, "--worker-path", Worker);

        exit.ShouldBe(2, stderr);
        stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith($"portscan: cannot write '{target}'");
        stdout.ShouldNotContain("Scanned", customMessage: "nothing was scanned");
        directory.Delete(recursive: true);
    }

    [TestCase("-oX", "<?xml")]
    [TestCase("-oN", "portscan scan report for")]
    [TestCase("-oG", "# portscan")]
    public async Task A_report_written_to_a_dash_goes_to_stdout_and_no_file_named_dash_appears(string option, string expected)
    {
        var dash = Path.GetFullPath("-");
        File.Delete(dash);

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", option, "-", "--worker-path", Worker);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain(expected);
        File.Exists(dash).ShouldBeFalse("nmap writes '-' to stdout, not to a file of that name");
    }

    [Test]
    public async Task A_report_whose_directory_vanishes_during_the_scan_is_kept_elsewhere_with_exit_1()
    {
        var directory = TestTemp.Directory("reportpath");
        var report = Path.Combine(directory.FullName, "scan.xml");
        var slowWorker = WorkerDoubles.Scripted("hello\nsleep 1");

        var scan = InProcessCli.RunAsync("scan", "127.0.0.1", "-p", "1", "-oX", report, "--worker-path", slowWorker);
        await Task.Delay(300);
        directory.Delete(recursive: true);
        var (exit, _, stderr) = await scan;

        exit.ShouldBe(1, stderr);
        var named = System.Text.RegularExpressions.Regex.Match(stderr, "the report is in '([^']+)'");
        named.Success.ShouldBeTrue($"stderr names where the report is: {stderr}");
        var kept = named.Groups[1].Value;
        File.ReadAllText(kept).ShouldContain("<nmaprun");
        File.Delete(kept);
    }
}
