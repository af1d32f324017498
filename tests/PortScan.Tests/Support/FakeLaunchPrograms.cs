namespace PortScan.Tests.Support;

/// <summary>
/// Stand-ins for ssh, srun and sinfo in a directory of their own, found through PATH as the real
/// ones are (the launchers look nowhere else), so the launchers' command lines, quoting, placement
/// and failure handling run without a cluster. Each logs its arguments, one call a line, every
/// argument in brackets: <c>[-T][-o][BatchMode=yes][node1][--][exec '…' …]</c>. They run the worker
/// on this machine and send no traffic of their own. The real daemons are the cluster tests' part.
/// </summary>
public sealed class FakeLaunchPrograms
{
    /// <summary>ssh to a destination starting with this fails as an unreachable host does: a message, exit 255.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The node name every fake srun step reports, as SLURMD_NODENAME.</summary>
    public const string Node = "fake-node";

    private const string LogCall = """{ printf '[%s]' "$@"; echo; } >> "$(dirname "$0")/calls" """;

    private FakeLaunchPrograms(DirectoryInfo directory) => Directory = directory;

    public DirectoryInfo Directory { get; }

    /// <summary>Every call so far, one a line.</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(Path.Combine(Directory.FullName, "calls")) ? File.ReadAllLines(Path.Combine(Directory.FullName, "calls")) : [];

    /// <param name="sinfo">What the fake sinfo prints for <c>-h -N -o "%N %C"</c>; null for no sinfo at all.</param>
    /// <param name="srunFailsOnce">The first srun fails as a busy cluster makes it (exit 1 and srun's message), the rest run.</param>
    public static FakeLaunchPrograms Create(string? sinfo = null, bool srunFailsOnce = false)
    {
        var programs = new FakeLaunchPrograms(TestTemp.Directory("fake-launch"));
        // A destination, then "--" and the one string a remote shell is given: run it with a real shell, here.
        programs.Write("ssh", $$"""
            {{LogCall}}
            while [ $# -gt 0 ]; do
              case "$1" in -o|-F|-i|-p|-l) shift 2 ;; -*) shift ;; *) break ;; esac
            done
            host=$1; shift
            [ "$1" = "--" ] && shift
            case "$host" in {{Unreachable}}*) echo "ssh: connect to host $host port 22: Connection refused" >&2; exit 255 ;; esac
            exec sh -c "$1"
            """);
        // srun's options up to "--", then the program and its arguments, run as a job step of its own would be.
        programs.Write("srun", $$"""
            {{LogCall}}
            if {{(srunFailsOnce ? "true" : "false")}} && mkdir "$(dirname "$0")/failed" 2>/dev/null; then
              echo "srun: error: Unable to allocate resources: Requested nodes are busy" >&2; exit 1
            fi
            while [ "$1" != "--" ]; do shift; done; shift
            export SLURMD_NODENAME={{Node}} SLURM_JOB_ID=$$ SLURM_STEP_ID=0
            exec "$@"
            """);
        if (sinfo is not null)
        {
            programs.Write("sinfo", $"{LogCall}\nprintf '%s' '{sinfo}'");
        }
        return programs;
    }

    /// <summary>Runs the coordinator with these programs first on PATH.</summary>
    public Task<ProcessRun> PortScanAsync(params string[] arguments) =>
        ProcessRun.RunAsync("/usr/bin/env", [$"PATH={Directory.FullName}:{Environment.GetEnvironmentVariable("PATH")}", Binaries.Coordinator, .. arguments]);

    private void Write(string name, string body)
    {
        var path = Path.Combine(Directory.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
