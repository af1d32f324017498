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
}
