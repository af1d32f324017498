using System.Text.RegularExpressions;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>What nmap's users type, and what they hear back when portscan does not have it. No network traffic: workers are scripted.</summary>
public partial class NmapHabitsTests
{
    [Test]
    public async Task A_first_word_that_is_not_a_command_makes_scan_the_command()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("127.0.0.1", "-p", "1", "--worker-path", WorkerDoubles.Scripted("hello"));

        exit.ShouldBe(0, stderr);
        stdout.ShouldStartWith("Scanning 127.0.0.1, ports 1 (1 port)");
    }

    [Test]
    public async Task No_words_at_all_show_the_help()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync();

        exit.ShouldBe(0);
        stdout.ShouldContain("Commands:");
        stdout.ShouldContain("portscan [scan] TARGET...");
    }

    [TestCase("scan", "--frobnicate")]
    [TestCase("scan", "-x")]
    [TestCase("plan", "--bogus")]
    [TestCase("lab", "--frob")]
    [TestCase("demo", "--frob")]
    [TestCase("bench", "--frob")]
    public async Task An_unknown_option_is_named_as_an_unknown_option(string command, string option)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(command, "127.0.0.1", option);

        exit.ShouldBe(2);
        stderr.Trim().ShouldBe($"portscan: unknown option '{option}' (see 'portscan {command} --help')");
    }

    [TestCase("-O", "-O (OS detection) is not supported")]
    [TestCase("--version-trace", "--version-trace (tracing version detection) is not supported: -d logs every protocol line between the coordinator and its workers")]
    [TestCase("-sS", "-sS (SYN scan) is not supported: it needs raw packets, and portscan scans with connect() (nmap's -sT)")]
    [TestCase("-PS22,80", "-PS (TCP discovery ports glued to the option) is not supported: write -PS 22,80")]
    [TestCase("--script=banner", "--script (NSE scripts) is not supported")]
    [TestCase("-A", "-A (OS and version detection, scripts and traceroute) is not supported: -sV detects services and versions")]
    public async Task An_nmap_option_portscan_lacks_says_so_by_name(string option, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("127.0.0.1", option, "-p", "22");

        exit.ShouldBe(2);
        stderr.Trim().ShouldBe($"portscan: {message} (see 'portscan scan --help')");
    }

    [TestCase("127.0.0.1:20000", "'127.0.0.1:20000' names a port: give it with -p, '127.0.0.1 -p 20000'")]
    [TestCase("localhost:22", "'localhost:22' names a port: give it with -p, 'localhost -p 22'")]
    [TestCase("[::1]:22", "'[::1]:22' names a port: give it with -p, '::1 -p 22'")]
    [TestCase("http://127.0.0.1", "'http://127.0.0.1' is a URL: give the host alone, '127.0.0.1'")]
    [TestCase("https://localhost:8443/login", "'https://localhost:8443/login' is a URL: give the host and the port apart, 'localhost -p 8443'")]
    public async Task A_host_written_with_a_port_or_as_a_URL_gets_what_was_probably_meant(string target, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", target);

        exit.ShouldBe(2);
        stderr.Trim().ShouldBe($"portscan: {message}");
    }

    [Test]
    public async Task Pn_and_n_are_accepted_because_portscan_always_does_what_they_ask()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("-Pn", "-n", "127.0.0.1", "-p", "1", "--worker-path", WorkerDoubles.Scripted("hello"));

        exit.ShouldBe(0, stderr);
    }

    [Test]
    public async Task F_plans_nmaps_hundred_most_common_ports()
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("plan", "-F", "-w", "1");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("100 ports over 1 worker");
    }

    [TestCase("lab")]
    [TestCase("demo")]
    [TestCase("bench")]
    public async Task The_lab_commands_have_no_F_that_would_mean_something_else_than_in_scan(string command)
    {
        var (_, help, _) = await InProcessCli.RunAsync(command, "--help");

        help.ShouldContain("--filtered N");
        Regex.IsMatch(help, @"(^|[ ,])-F\b", RegexOptions.Multiline).ShouldBeFalse(help);
    }

    [Test]
    public async Task Minus_6_scans_IPv6_only()
    {
        var scripted = WorkerDoubles.Scripted("hello");

        var v6 = await InProcessCli.RunAsync("-6", "::1", "-p", "1", "--worker-path", scripted);
        var v4 = await InProcessCli.RunAsync("-6", "127.0.0.1", "-p", "1", "--worker-path", scripted);
        var both = await InProcessCli.RunAsync("-4", "-6", "::1", "-p", "1", "--worker-path", scripted);

        v6.Exit.ShouldBe(0, v6.Stderr);
        v4.Exit.ShouldBe(2);
        v4.Stderr.Trim().ShouldBe("portscan: '127.0.0.1' is IPv4, and -6 scans IPv6 only");
        both.Exit.ShouldBe(2);
        both.Stderr.ShouldContain("-4 and -6 contradict each other");
    }

    [Test]
    public async Task Each_v_and_d_shows_more_of_what_the_workers_do()
    {
        // A heartbeat is a -vv matter; the raw protocol lines are -d's.
        var worker = WorkerDoubles.Scripted("hello\necho '{\"type\":\"heartbeat\",\"finished\":0}'");
        string[] scan = ["127.0.0.1", "-p", "1", "--worker-path", worker];

        var quiet = await Binaries.PortScanAsync(scan);
        var v = await Binaries.PortScanAsync([.. scan, "-v"]);
        var vv = await Binaries.PortScanAsync([.. scan, "-vv"]);
        var d = await Binaries.PortScanAsync([.. scan, "-d"]);

        quiet.Stderr.ShouldNotContain("started pid");
        v.Stderr.ShouldContain("attempt 1 started pid");
        v.Stderr.ShouldNotContain("heartbeat");
        vv.Stderr.ShouldContain("heartbeat, 0 ports finished");
        vv.Stderr.ShouldNotContain("said: {");
        d.Stderr.ShouldContain("worker 0 said: {\"type\":\"hello\"");
    }

    [Test]
    public async Task One_of_anything_is_written_in_the_singular()
    {
        var run = await Binaries.PortScanAsync("127.0.0.1", "-p", "1", "-w", "1", "--worker-path", WorkerDoubles.Scripted("hello"));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("(1 port), 1 worker,");
        run.Stdout.ShouldContain("of 1 port on 127.0.0.1");
        run.Stdout.ShouldContain("with 1 worker");
        PluralAfterOne().Matches(run.Stdout + run.Stderr).Select(m => m.Value).ShouldBeEmpty();
    }

    [GeneratedRegex(@"\b1 (workers|ports|hosts|retries)\b|\(s\)")]
    private static partial Regex PluralAfterOne();
}
