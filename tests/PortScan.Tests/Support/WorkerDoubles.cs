using PortScan.Shared.Protocol;

namespace PortScan.Tests.Support;

/// <summary>
/// Stand-ins for portscan-worker that misbehave on purpose, given to the coordinator with its
/// hidden --worker-path option. They are shell scripts, and they send no network traffic.
/// </summary>
public static class WorkerDoubles
{
    // Reads the worker arguments the coordinator passes (one host, one --target/--ports pair), and says hello as a real
    // worker would, echoing its probe settings. $args keeps the whole command line, $first the first port it was given.
    private static readonly string Hello = $"protocol={ProtocolCodec.Version}\n" + """
        args="$*"
        while [ $# -gt 0 ]; do
          case "$1" in
            --ports) ports=$2 ;; --worker-id) id=$2 ;; --target) target=$2 ;;
            --timeout-ms) timeout=$2 ;; --min-rtt-ms) minrtt=$2 ;; --initial-rtt-ms) initialrtt=$2 ;; --max-retries) retries=$2 ;;
            --concurrency) concurrency=$2 ;; --max-rate) rate=$2 ;; --banner-ms) banner=$2 ;;
            --min-rate) minrate=$2 ;; --host-timeout-ms) hosttimeout=$2 ;;
          esac
          shift
        done
        hello() { echo "{\"type\":\"hello\",\"protocol\":$protocol,\"worker\":$id,\"pid\":$$,\"work\":\"$target $ports\",\"probes\":{\"timeoutMs\":$timeout,\"minRttTimeoutMs\":$minrtt,\"initialRttTimeoutMs\":$initialrtt,\"maxRetries\":$retries,\"concurrency\":$concurrency,\"maxRate\":${rate:-0},\"bannerMs\":${banner:-0},\"minRate\":${minrate:-0},\"hostTimeoutMs\":${hosttimeout:-0}}}"; }
        first=${ports%%[-,]*}
        """;

    /// <summary>
    /// Runs <paramref name="script"/> (shell, with <c>hello</c>, <c>$id</c>, <c>$target</c>, <c>$first</c> and the probe
    /// settings as variables), then reports its first port closed, without probing it, and is done. Given one port, a
    /// worker that obeys the protocol without touching the network.
    /// </summary>
    public static string Scripted(string script) => Write("scripted", $$"""
        {{Hello}}
        {{script}}
        echo "{\"type\":\"ports\",\"target\":\"$target\",\"transport\":\"tcp\",\"open\":[],\"closed\":[$first],\"filtered\":[],\"openFiltered\":[]}"
        echo '{"type":"done","open":0,"closed":1,"filtered":0,"openFiltered":0,"elapsedMs":1}'
        """);

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
        var marker = Path.Combine(TestTemp.Directory("double").FullName, "ran");
        return Write("garbage-once", $$"""
            if [ ! -e '{{marker}}' ]; then touch '{{marker}}'; echo '{"type":'; exit 0; fi
            exec '{{Binaries.Worker}}' "$@"
            """);
    }

    /// <summary>The first run hangs before saying anything; later runs are the real worker.</summary>
    public static string HangsOnce()
    {
        var marker = Path.Combine(TestTemp.Directory("double").FullName, "ran");
        return Write("hangs-once", $"""
            if [ ! -e '{marker}' ]; then touch '{marker}'; exec sleep 60; fi
            exec '{Binaries.Worker}' "$@"
            """);
    }

    private static string Write(string name, string body)
    {
        var path = Path.Combine(TestTemp.Directory("double").FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
