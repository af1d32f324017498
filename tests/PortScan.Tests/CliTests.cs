using PortScan.Coordinator.Cli;

using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>Option parsing and bad input, through the same entry point the executable uses.</summary>
public class CliTests
{
    private static readonly object[] BadInputs =
    [
        new[] { "scan", "localhost", "--start-port", "0" },
        new[] { "scan", "localhost", "--end-port", "65536" },
        new[] { "scan", "localhost", "--start-port", "100", "--end-port", "10" },
        new[] { "scan", "localhost", "--start-port", "abc" },
        new[] { "scan", "localhost", "--end-port", "1e3" },
        new[] { "scan", "localhost", "-w", "0" },
        new[] { "scan", "localhost", "--workers", "many" },
        new[] { "scan", "localhost", "--timeout", "0" },
        new[] { "scan", "localhost", "--timeout", "-5ms" },
        new[] { "scan", "localhost", "--timeout", "soon" },
        new[] { "scan", "localhost", "-c", "0" },
        new[] { "scan", "localhost", "--frobnicate" },
        new[] { "scan", "localhost", "--format", "yaml" },
        new[] { "scan" },
        new[] { "scan", "" },
        new[] { "scan", "   " },
        new[] { "scan", "999.1.1.1" },
        new[] { "scan", "127.0.0" },
        new[] { "scan", "::12345" },
        new[] { "scan", "bad host!" },
        new[] { "scan", "localhost", "-o", "/no/such/directory/report.json" },
        new[] { "scan", "127.0.0.0/33" },
        new[] { "scan", "::1/129" },
        new[] { "scan", "127.0.0.0/8" },
        new[] { "scan", "127.0.0.1-300" },
        new[] { "scan", "127.0.0.9-1" },
        new[] { "scan", "127.0.0.1/x" },
        new[] { "scan", "127.0.0.1-3/30" },
        new[] { "scan", "127.0.0.1", "--exclude", "127.0.0.0/30" },
        new[] { "scan", "-iL", "/no/such/targets.txt" },
        new[] { "scan", "127.0.0.1", "--format", "yaml" },
        new[] { "scan", "127.0.0.1", "-oA", "/no/such/directory/base" },
        new[] { "scan", "127.0.0.1", "-oX", "same.xml", "-o", "same.xml", "--format", "xml" },
        new[] { "scan", "127.0.0.0/16", "-p-" },
        new[] { "plan", "--start-port", "0" },
        new[] { "plan", "--start-port", "9", "--end-port", "8" },
        new[] { "plan", "-w", "0" },
        new[] { "plan", "--bogus" },
        new[] { "plan", "127.0.0.0/11", "-p", "1" },
        new[] { "plan", "127.0.0.0/12", "-p", "1-1908" },
        new[] { "lab", "--open", "-1" },
        new[] { "lab", "--address", "198.18.0.1" },
        new[] { "sacn", "127.0.0.1" },
        new[] { "bnech", "--lab" },
        new[] { "sca", "127.0.0.1" },
    ];

    [TestCaseSource(nameof(BadInputs))]
    public async Task Bad_input_prints_one_line_on_stderr_and_exits_2(string[] args)
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(args);

        exit.ShouldBe(ExitCodes.BadInput, $"stderr: {stderr}");
        stderr.TrimEnd('\n').ShouldNotContain('\n', customMessage: "exactly one line");
        stderr.ShouldStartWith("portscan: ");
        stderr.ShouldNotContain("   at ", customMessage: "no stack trace");
        stdout.ShouldBeEmpty();
    }

    [Test]
    public async Task Plan_prints_the_slice_table()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("plan", "--start-port", "1", "--end-port", "500", "-w", "10");

        exit.ShouldBe(0);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];
        rows.Length.ShouldBe(10);
        rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["0", "1", "50", "50", "1-50"]);
        rows[9].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["9", "451", "500", "50", "451-500"]);
    }

    [Test]
    public async Task Plan_takes_a_twelfth_at_nmaps_top_thousand_ports_without_scanning_it()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("plan", "127.0.0.0/12", "--top-ports", "1000", "-w", "4");

        exit.ShouldBe(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("1,048,576 hosts × 1,000 ports: 1048576000 host-ports over 4 workers");
        lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4].ShouldBe(["3", "786432000", "1048575999", "262144000"]);
    }

    [Test]
    public async Task Plan_shows_the_last_worker_taking_the_remainder()
    {
        var (_, stdout, _) = await InProcessCli.RunAsync("plan", "-w", "100");

        stdout.ShouldContain("655 each; the last also takes the remainder of 35");
        stdout.TrimEnd().Split('\n')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["99", "64846", "65535", "690", "64846-65535"]);
    }

    [Test]
    public async Task Help_lists_the_commands()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("--help");

        exit.ShouldBe(0);
        stdout.ShouldContain("scan");
        stdout.ShouldContain("plan");
        stdout.ShouldContain("lab");
    }
}
