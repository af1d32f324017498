namespace PortScan.Tests.Support;

/// <summary>Runs a shell command with a pseudo-terminal for stdin, stdout and stderr, as an interactive user has, through script(1).</summary>
public static class PseudoTerminal
{
    public static async Task<ProcessRun> RunAsync(string command)
    {
        try
        {
            return await ProcessRun.RunAsync("script", ["-qec", command, "/dev/null"], TimeSpan.FromSeconds(60));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("script(1) is not installed (apt-get install bsdutils)");
            throw;
        }
    }
}
