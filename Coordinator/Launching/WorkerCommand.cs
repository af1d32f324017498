namespace PortScan.Coordinator.Launching;

/// <summary>How to start a worker: the executable and the arguments that come before the worker's own.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    private const string AppHostName = "portscan-worker";

    /// <summary>Any executable that speaks the worker protocol (tests use stand-ins that misbehave on purpose).</summary>
    public static WorkerCommand At(string path) => new(Path.GetFullPath(path), []);

    /// <summary>
    /// The worker is built and published next to the coordinator (Coordinator references Worker).
    /// Prefer its native launcher; fall back to the .dll through the dotnet host that runs us.
    /// </summary>
    public static WorkerCommand NextToCoordinator()
    {
        var directory = AppContext.BaseDirectory;
        var appHost = Path.Combine(directory, OperatingSystem.IsWindows() ? AppHostName + ".exe" : AppHostName);
        if (File.Exists(appHost))
        {
            return new WorkerCommand(appHost, []);
        }
        var assembly = Path.Combine(directory, AppHostName + ".dll");
        if (File.Exists(assembly))
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath
                ? hostPath
                : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
            return new WorkerCommand(host, [assembly]);
        }
        throw new FileNotFoundException($"portscan-worker is not next to portscan in {directory}; build the solution or publish the Coordinator project");
    }
}
