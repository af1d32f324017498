namespace PortScan.Tests.Support;

/// <summary>
/// Stand-ins for portscan-worker that misbehave on purpose, given to the coordinator with its
/// hidden --worker-path option. They are shell scripts, and they send no network traffic.
/// </summary>
public static class WorkerDoubles
{
    // Reads the worker arguments the coordinator passes (one host, one --target/--ports pair), and says hello as a real worker would.
    private const string Hello = """
        while [ $# -gt 0 ]; do
          case "$1" in --ports) ports=$2 ;; --worker-id) id=$2 ;; --target) target=$2 ;; esac
          shift
        done
        hello() { echo "{\"type\":\"hello\",\"protocol\":4,\"worker\":$id,\"pid\":$$,\"work\":\"$target $ports\",\"timeoutMs\":1,\"concurrency\":1,\"maxRate\":0,\"bannerMs\":0}"; }
        first=${ports%%[-,]*}
        """;

    public static string Garbage => Write("garbage", "echo 'this is not JSON'\nexec sleep 60");

    public static string DiesAtOnce => Write("dies-at-once", "echo 'segmentation fault (pretend)' >&2\nexit 3");

    public static string Hangs => Write("hangs", "exec sleep 60");

    /// <summary>Says hello, closes its stdout, and stays alive.</summary>
    public static string ClosesStdout => Write("closes-stdout", $"{Hello}\nhello\nexec sleep 60 >&-");

    public static string UnknownMessage => Write("unknown-message", $"{Hello}\nhello\necho '{{\"type\":\"gossip\",\"news\":1}}'\nexec sleep 60");

    /// <summary>Reports port 1, which the tests never ask it to scan.</summary>
    public static string OutsideItsPorts => Write("outside", $"{Hello}\nhello\necho '{{\"type\":\"ports\",\"target\":\"127.0.0.1\",\"transport\":\"tcp\",\"open\":[],\"closed\":[1],\"filtered\":[],\"openFiltered\":[]}}'\nexec sleep 60");

    /// <summary>Reports the first port it was given as closed, twice.</summary>
    public static string Duplicate => Write("duplicate", $"{Hello}\nhello\necho \"{{\\\"type\\\":\\\"ports\\\",\\\"target\\\":\\\"$target\\\",\\\"transport\\\":\\\"tcp\\\",\\\"open\\\":[],\\\"closed\\\":[$first,$first],\\\"filtered\\\":[],\\\"openFiltered\\\":[]}}\"\nexec sleep 60");

    /// <summary>The first run writes garbage and dies; later runs are the real worker.</summary>
    public static string GarbageOnce()
    {
        var marker = Path.Combine(Directory.CreateTempSubdirectory("portscan-double-").FullName, "ran");
        return Write("garbage-once", $$"""
            if [ ! -e '{{marker}}' ]; then touch '{{marker}}'; echo '{"type":'; exit 0; fi
            exec '{{Binaries.Worker}}' "$@"
            """);
    }

    /// <summary>The first run hangs before saying anything; later runs are the real worker.</summary>
    public static string HangsOnce()
    {
        var marker = Path.Combine(Directory.CreateTempSubdirectory("portscan-double-").FullName, "ran");
        return Write("hangs-once", $"""
            if [ ! -e '{marker}' ]; then touch '{marker}'; exec sleep 60; fi
            exec '{Binaries.Worker}' "$@"
            """);
    }

    private static string Write(string name, string body)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("portscan-double-").FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
