using PortScan.Coordinator.Output;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// Scans through each launcher against a lab the test opened: the result is exact, every attempt says
/// where it ran, and a failed launch is replaced where the launcher places replacements. ssh and srun
/// are <see cref="FakeLaunchPrograms"/> found on PATH; the real daemons are the cluster tests' part.
/// </summary>
public class LauncherScanTests
{
    private static string TempReport() => Path.Combine(TestTemp.Directory("launch").FullName, "scan.json");

    private static string[] ScanArguments(Coordinator.Lab.LabTarget lab, string report, params string[] more) =>
        ["scan", "127.0.0.1", "-p", lab.Ports.ToString(), "--show-closed", "--format", "json", "-o", report, .. more];

    private static void ShouldBeExact(JsonReport json, Coordinator.Lab.LabTarget lab)
    {
        json.Complete.ShouldBeTrue();
        var host = json.Hosts.ShouldHaveSingleItem();
        host.Ports.Select(p => p.Port).ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count));
        host.Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());
    }

    [Test]
    public async Task A_local_scan_records_in_each_attempt_that_it_ran_here()
    {
        await using var lab = TestLab.Start(open: 1, closed: 3, filtered: 0);
        var report = TempReport();

        var run = await Binaries.PortScanAsync(ScanArguments(lab, report, "-w", "2"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var attempts = JsonReport.Parse(File.ReadAllText(report)).Slices.SelectMany(s => s.Attempts).ToList();
        attempts.Count.ShouldBe(2);
        attempts.ShouldAllBe(a => a.Launch == new JsonLaunch("local", null, Environment.MachineName, a.Pid, null, null, null));
    }

    [Test]
    public async Task Through_ssh_slice_i_runs_on_host_i_mod_h_and_an_unreachable_host_is_a_failed_attempt_replaced_on_the_next()
    {
        await using var lab = TestLab.Start(open: 2, closed: 4, filtered: 0);
        var programs = FakeLaunchPrograms.Create();
        var report = TempReport();
        var unreachable = FakeLaunchPrograms.Unreachable + "2";

        var run = await programs.PortScanAsync(ScanArguments(lab, report, "-w", "3", "--launch", "ssh",
            "--hosts", $"node1,{unreachable},node3", "--ssh-args", "-F 'my config' -o UserKnownHostsFile=/dev/null"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldBeExact(json, lab);
        json.Slices.Select(s => s.Attempts.Select(a => a.Launch!.Host)).ShouldBe([["node1"], [unreachable, "node3"], ["node3"]]);
        var failed = json.Slices[1].Attempts[0];
        failed.ExitCode.ShouldBe(255);
        failed.Failure.ShouldBe($"ssh to {unreachable} failed (exit code 255): ssh: connect to host {unreachable} port 22: Connection refused");
        failed.Launch.ShouldBe(new JsonLaunch("ssh", unreachable, null, null, null, null, null), "a worker that never started says nothing of itself");
        json.Slices.SelectMany(s => s.Attempts).Where(a => a.Failure is null)
            .ShouldAllBe(a => a.Launch!.Launcher == "ssh" && a.Launch.Hostname == Environment.MachineName && a.Launch.Pid != null);
        programs.Calls.Count.ShouldBe(4);
        programs.Calls.ShouldAllBe(call => call.StartsWith("[-T][-o][BatchMode=yes][-F][my config][-o][UserKnownHostsFile=/dev/null][", StringComparison.Ordinal));
        programs.Calls.ShouldContain(call => call.Contains($"[node1][--][exec '{Binaries.Worker}' '--target' '127.0.0.1' '--ports' '{lab.Ports.Start}-", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_remote_worker_path_full_of_shell_syntax_reaches_the_remote_shell_intact()
    {
        await using var lab = TestLab.Start(open: 1, closed: 2, filtered: 0);
        var programs = FakeLaunchPrograms.Create();
        var directory = Directory.CreateDirectory(Path.Combine(TestTemp.Directory("remote").FullName, "it's $HOME; `id` & *"));
        var worker = Path.Combine(directory.FullName, "portscan worker");
        await File.WriteAllTextAsync(worker, $"#!/bin/sh\nexec '{Binaries.Worker}' \"$@\"\n");
        File.SetUnixFileMode(worker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var report = TempReport();

        var run = await programs.PortScanAsync(ScanArguments(lab, report, "-w", "1", "--launch", "ssh", "--hosts", "node1", "--remote-worker", worker));

        run.ExitCode.ShouldBe(0, run.ToString());
        ShouldBeExact(JsonReport.Parse(File.ReadAllText(report)), lab);
    }

    [Test]
    public async Task A_remote_worker_that_is_not_there_fails_each_attempt_with_what_the_remote_shell_said()
    {
        var programs = FakeLaunchPrograms.Create();
        var report = TempReport();

        // Nothing is probed: no worker ever starts.
        var run = await programs.PortScanAsync("scan", "127.0.0.1", "-p", "9", "--launch", "ssh", "--hosts", "node1,node2",
            "--remote-worker", "/no/such/portscan-worker", "--format", "json", "-o", report);

        run.ExitCode.ShouldBe(1, run.ToString());
        var attempts = JsonReport.Parse(File.ReadAllText(report)).Slices.ShouldHaveSingleItem().Attempts;
        attempts.Select(a => a.Launch!.Host).ShouldBe(["node1", "node2", "node1"]);
        attempts.ShouldAllBe(a => a.ExitCode == 127);
        attempts[0].Failure!.ShouldStartWith("the worker did not start on node1 (exit code 127): ");
        attempts[0].Failure!.ShouldContain("/no/such/portscan-worker");
    }

    [Test]
    public async Task Through_slurm_each_attempt_is_a_job_step_and_one_srun_could_not_start_is_replaced_through_srun()
    {
        await using var lab = TestLab.Start(open: 2, closed: 2, filtered: 0);
        var programs = FakeLaunchPrograms.Create(srunFailsOnce: true);
        var report = TempReport();

        var run = await programs.PortScanAsync(ScanArguments(lab, report, "-w", "2", "--launch", "slurm", "--slurm-args", "--overcommit -p 'lab nodes'"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var json = JsonReport.Parse(File.ReadAllText(report));
        ShouldBeExact(json, lab);
        var attempts = json.Slices.SelectMany(s => s.Attempts).ToList();
        attempts.Count.ShouldBe(3);
        var failed = attempts.Where(a => a.Failure != null).ShouldHaveSingleItem();
        failed.Failure.ShouldBe("srun did not start the worker (exit code 1): srun: error: Unable to allocate resources: Requested nodes are busy");
        failed.Launch.ShouldBe(new JsonLaunch("slurm", null, null, null, null, null, null));
        // The fake srun runs each step as a job whose id is its own pid, as the worker reports it.
        attempts.Where(a => a.Failure is null).ShouldAllBe(a =>
            a.Launch == new JsonLaunch("slurm", null, Environment.MachineName, a.Launch!.Pid, FakeLaunchPrograms.Node, a.Launch.Pid.ToString(), "0"));
        programs.Calls.Count.ShouldBe(3);
        programs.Calls.ShouldContain(call => call.StartsWith($"[-n1][--immediate=10][-J][portscan-w0][--overcommit][-p][lab nodes][--][{Binaries.Worker}][--target][127.0.0.1]", StringComparison.Ordinal));
        programs.Calls.ShouldContain(call => call.StartsWith("[-n1][--immediate=10][-J][portscan-w1][", StringComparison.Ordinal));
    }
}
