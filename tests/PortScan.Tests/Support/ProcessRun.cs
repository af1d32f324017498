using System.Diagnostics;

namespace PortScan.Tests.Support;

/// <summary>The outcome of running a real executable to completion.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>Runs <paramref name="fileName"/> with arguments passed one by one (no shell); kills it after <paramref name="limit"/>.</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? limit = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', startInfo.ArgumentList)} did not finish within {limit}");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}
