using PortScan.Coordinator.Launching;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>ssh hands the remote shell one string: every argument must arrive as exactly the word it was, whatever it holds.</summary>
public class ShellWordsTests
{
    private static readonly string[] Hostile =
    [
        "it's",
        "'",
        "''",
        "'\\''",
        "$(touch /tmp/portscan-owned)",
        "`id`",
        "$HOME ${PATH}",
        "a; rm -rf / #",
        "a && b || c | d > e < f &",
        "* ? [a-z] ~",
        "\"double\" \\back\\slash\\",
        "line one\nline two",
        "tab\there",
        "",
        "--target",
        "-oProxyCommand=sh",
        "ünïcödé ✓",
    ];

    [Test]
    public async Task A_remote_shell_receives_every_hostile_argument_exactly_as_given()
    {
        // printf's %s\0 writes each argument back NUL-terminated, as the remote shell passed it.
        var worker = new WorkerCommand("/usr/bin/printf", ["%s\\0"]);

        var command = SshLauncher.RemoteCommand(worker, Hostile);
        var run = await ProcessRun.RunAsync("/bin/sh", ["-c", command]);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.Split('\0')[..^1].ShouldBe(Hostile);
    }

    [Test]
    public void The_remote_command_execs_the_worker_with_each_word_single_quoted()
    {
        var command = SshLauncher.RemoteCommand(new WorkerCommand("/opt/port scan/portscan-worker", []), ["--target", "127.0.0.1", "--note", "it's"]);

        command.ShouldBe("""exec '/opt/port scan/portscan-worker' '--target' '127.0.0.1' '--note' 'it'\''s'""");
    }

    [Test]
    public void What_quoting_writes_splitting_reads_back()
    {
        ShellWords.TrySplit(ShellWords.Join(Hostile), out var words, out var error).ShouldBeTrue(error);

        words.ShouldBe(Hostile);
    }
}
