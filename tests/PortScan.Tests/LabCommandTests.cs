using System.Text.RegularExpressions;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary><c>portscan lab</c> as a user meets it: the command it suggests works, and stopping it says what stopping it means.</summary>
public partial class LabCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"^Try: (.+)$", RegexOptions.Multiline)]
    private static partial Regex TryLine();

    [Test]
    public async Task The_suggested_scan_runs_as_printed_and_stopping_the_lab_speaks_of_the_lab()
    {
        await using var lab = RunningProcess.Start(Binaries.Coordinator, "lab", "--open", "1", "--closed", "1", "--filtered", "0");
        var suggested = (await lab.WaitForStdoutAsync(TryLine(), Limit)).Groups[1].Value.Trim();

        // Run as printed, through a shell, as a user pasting it would; the lab's ports are the test's own.
        var scan = await ProcessRun.RunAsync("/bin/sh", ["-c", suggested], Limit);
        lab.Signal(RunningProcess.SigTerm);
        var stopped = await lab.WaitForExitAsync(Limit);

        scan.ExitCode.ShouldBe(0, $"{suggested}\n{scan}");
        scan.Stdout.ShouldContain("1 open, 1 closed, 0 filtered", customMessage: $"{suggested}\n{scan}");
        stopped.Stderr.ShouldContain("portscan: stopping the lab");
        stopped.Stderr.ShouldNotContain("what is finished is kept");
    }
}
