namespace PortScan.Tests.Support;

/// <summary>
/// Runs a shell script in a network namespace of its own (<c>unshare -rn</c>): a fresh loopback
/// with no other interface, where a scan of every port reaches only what the script started.
/// </summary>
public static class PrivateNetwork
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        try
        {
            var run = ProcessRun.RunAsync("unshare", ["-rn", "sh", "-c", "ip link set lo up"], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            return run.ExitCode == 0 ? null : $"cannot make a private network namespace here (unshare -rn; ip link set lo up): {run.Stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"unshare is not installed: {e.Message}";
        }
    });

    /// <summary>Skips the calling test, saying why, where no namespace can be made.</summary>
    public static void RequireOrIgnore()
    {
        if (Unavailable.Value is { } reason)
        {
            Assert.Ignore(reason);
        }
    }

    public static Task<ProcessRun> RunAsync(string script, TimeSpan limit) =>
        ProcessRun.RunAsync("unshare", ["-rn", "sh", "-c", "ip link set lo up\n" + script], limit);

    /// <summary>The ports <see cref="ScanBesideListenersAsync"/> listens on.</summary>
    public static readonly int[] Listeners = [40000, 40001, 40002];

    /// <summary>
    /// Starts a lab with <see cref="Listeners"/> open in a private namespace, runs
    /// <paramref name="scan"/> (a shell command line) there and returns its outcome.
    /// </summary>
    public static Task<ProcessRun> ScanBesideListenersAsync(string scan, DirectoryInfo directory) =>
        ScanBesideLabsAsync([$"--open 3 --closed 0 --filtered 0 --first-port {Listeners[0]}"], scan, directory);

    /// <summary>
    /// Starts one <c>portscan lab</c> a set of arguments (each may name its own --address) in a
    /// private namespace, waits until all are up, runs <paramref name="scan"/> there and returns its outcome.
    /// </summary>
    public static Task<ProcessRun> ScanBesideLabsAsync(IReadOnlyList<string> labs, string scan, DirectoryInfo directory)
    {
        var start = string.Join('\n', labs.Select((arguments, i) => $"""
            '{Binaries.Coordinator}' lab {arguments} > '{directory.FullName}/lab{i}.txt' &
            labs="$labs $!"
            for i in $(seq 200); do grep -q '^Try:' '{directory.FullName}/lab{i}.txt' && break; sleep 0.05; done
            """));
        return RunAsync($"""
            {start}
            {scan}
            code=$?
            kill $labs; wait $labs
            exit $code
            """, TimeSpan.FromMinutes(2));
    }
}
