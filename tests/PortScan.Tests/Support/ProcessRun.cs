namespace PortScan.Tests.Support;

/// <summary>The outcome of running a real executable to completion.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>Runs <paramref name="fileName"/> with arguments passed one by one (no shell); kills it after <paramref name="limit"/>.</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? limit = null)
    {
        string[] list = [.. arguments];
        await using var process = RunningProcess.Start(fileName, list);
        try
        {
            return await process.WaitForExitAsync(limit ?? TimeSpan.FromMinutes(2));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', list)} did not finish within {limit}");
        }
    }
}
