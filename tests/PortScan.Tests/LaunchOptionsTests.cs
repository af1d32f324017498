using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Launching;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>--launch and its options: each goes with its launcher, mistakes are one line and exit 2, and plan shows the placement.</summary>
public class LaunchOptionsTests
{
    private static readonly object[] BadInputs =
    [
        new[] { "scan", "127.0.0.1", "--launch", "ssh" },
        new[] { "scan", "127.0.0.1", "--launch", "rsh", "--hosts", "node1" },
        new[] { "scan", "127.0.0.1", "--hosts", "node1" },
        new[] { "scan", "127.0.0.1", "--ssh-args", "-F config" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "node1", "--slurm-args", "--overcommit" },
        new[] { "scan", "127.0.0.1", "--launch", "slurm", "--ssh-args", "-F config" },
        new[] { "scan", "127.0.0.1", "--remote-worker", "/opt/portscan-worker" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "node1", "--remote-worker", "" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", " , " },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "node1,-oProxyCommand=touch /tmp/owned" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "node1,user@host two" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "@/no/such/hosts.txt" },
        new[] { "scan", "127.0.0.1", "--launch", "ssh", "--hosts", "node1", "--ssh-args", "-F 'unclosed" },
        new[] { "scan", "127.0.0.1", "--launch", "slurm", "--slurm-args", "-p \"unclosed" },
        new[] { "scan", "127.0.0.1", "--launch", "slurm", "--slurm-args", "ends-with\\" },
        new[] { "plan", "--launch", "ssh" },
        new[] { "plan", "--slurm-args", "-p debug" },
    ];

    [TestCaseSource(nameof(BadInputs))]
    public async Task A_launch_option_that_does_not_fit_prints_one_line_and_exits_2(string[] args)
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(args);

        exit.ShouldBe(ExitCodes.BadInput, $"stderr: {stderr}");
        stderr.TrimEnd('\n').ShouldNotContain('\n', customMessage: "exactly one line");
        stderr.ShouldStartWith("portscan: ");
        stdout.ShouldBeEmpty();
    }

    [Test]
    public async Task A_launcher_whose_program_is_not_on_path_is_exit_2_naming_it()
    {
        var empty = TestTemp.Directory("empty-path");

        var run = await ProcessRun.RunAsync("/usr/bin/env", [$"PATH={empty.FullName}", Binaries.Coordinator, "scan", "127.0.0.1", "-p", "1", "--launch", "slurm"]);

        run.ExitCode.ShouldBe(ExitCodes.BadInput, run.ToString());
        run.Stderr.Trim().ShouldBe("portscan: --launch slurm needs srun, and there is none on PATH");
    }

    [Test]
    public void Shell_words_split_as_a_shell_would_without_expanding_anything()
    {
        ShellWords.TrySplit("""-F 'my config' -o "UserKnownHostsFile=/tmp/a \"b\"" x\ y  $HOME '' end""", out var words, out var error).ShouldBeTrue(error);

        words.ShouldBe(["-F", "my config", "-o", "UserKnownHostsFile=/tmp/a \"b\"", "x y", "$HOME", "", "end"]);
    }

    [Test]
    public async Task Hosts_come_from_a_file_one_a_line_with_comments()
    {
        var file = Path.Combine(TestTemp.Directory("hosts").FullName, "hosts.txt");
        await File.WriteAllTextAsync(file, "# the lab's nodes\nnode1\n  root@198.18.0.12  # the second\n\nnode3\n");
        var programs = FakeLaunchPrograms.Create();

        var run = await programs.PortScanAsync("plan", "-p", "1-9", "--launch", "ssh", "--hosts", "@" + file);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdoutLines.ShouldContain(line => line.StartsWith("     1  root@198.18.0.12  node3", StringComparison.Ordinal), run.Stdout);
    }

    [Test]
    public async Task Plan_shows_slice_i_on_host_i_mod_h_and_each_replacement_on_the_next_host()
    {
        var programs = FakeLaunchPrograms.Create();

        var run = await programs.PortScanAsync("plan", "-p", "1-100", "-w", "5", "--launch", "ssh", "--hosts", "node1,node2,node3");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("slice i on host i mod 3, a replacement on the next host");
        var placement = run.StdoutLines.SkipWhile(l => !l.Contains("FIRST ATTEMPT", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        placement.ShouldBe(
        [
            ["0", "node1", "node2", "node3"],
            ["1", "node2", "node3", "node1"],
            ["2", "node3", "node1", "node2"],
            ["3", "node1", "node2", "node3"],
            ["4", "node2", "node3", "node1"],
        ]);
    }

    [Test]
    public async Task Without_w_ssh_runs_one_worker_a_host()
    {
        var programs = FakeLaunchPrograms.Create();

        var run = await programs.PortScanAsync("plan", "-p", "1-100", "--launch", "ssh", "--hosts", "node1,node2,node3");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("100 ports over 3 workers");
    }

    [Test]
    public async Task Without_w_slurm_runs_one_worker_a_cpu_sinfo_reports_each_node_counted_once()
    {
        // node1 is in two partitions; node3 is down (its CPUs are "other").
        var programs = FakeLaunchPrograms.Create(sinfo: "node1 0/2/0/2\nnode2 1/1/0/2\nnode1 0/2/0/2\nnode3 0/0/4/4\n");

        var run = await programs.PortScanAsync("plan", "-p", "1-100", "--launch", "slurm");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("100 ports over 4 workers");
        run.Stdout.ShouldContain("a Slurm job step of its own (srun -n1 --immediate=10 -J portscan-wK");
        programs.Calls.ShouldBe(["[-h][-N][-o][%N %C]"]);
    }

    [Test]
    public async Task When_sinfo_cannot_tell_slurm_runs_one_worker_and_says_why()
    {
        var programs = FakeLaunchPrograms.Create(sinfo: null);

        var run = await programs.PortScanAsync("plan", "-p", "1-100", "--launch", "slurm");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("100 ports over 1 worker");
        run.Stderr.ShouldContain("the cluster's CPUs are unknown, so the scan takes one (give -w for more): cannot run");
    }

    [TestCase("node1 0/2/0/2\nnode2 1/1/0/2\n", 4)]
    [TestCase("node1 0/2/0/2\nnode1 0/2/0/2\n", 2)]
    [TestCase("node1 0/0/2/2\n", null)]
    [TestCase("", null)]
    [TestCase("node1 2/2\n", null)]
    public void Sinfo_lines_count_the_cpus_of_nodes_that_are_up(string output, int? cpus)
    {
        SlurmLauncher.TryCountCpus(output).ShouldBe(cpus);
    }
}
