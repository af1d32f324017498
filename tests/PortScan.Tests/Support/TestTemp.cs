namespace PortScan.Tests.Support;

/// <summary>
/// The suite's only way to get temporary files: every directory lives under one root a test run,
/// which <see cref="TestTempCleanUp"/> removes when the run ends, so no run leaves anything in /tmp.
/// </summary>
public static class TestTemp
{
    /// <summary>Where this run's temporary directories live; the process id keeps concurrent runs apart.</summary>
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), $"portscan-tests-{Environment.ProcessId}");

    /// <summary>A new, empty directory under <see cref="Root"/>, named for what it holds.</summary>
    public static DirectoryInfo Directory(string purpose) =>
        System.IO.Directory.CreateDirectory(Path.Combine(Root, $"{purpose}-{Path.GetRandomFileName()}"));
}
