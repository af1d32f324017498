using PortScan.Coordinator.Cli;

namespace PortScan.Tests.Support;

/// <summary>Runs the real entry point in-process with captured stdout and stderr.</summary>
public static class InProcessCli
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await PortScanCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
