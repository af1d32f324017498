namespace PortScan.Tests.Support;

/// <summary>The real executables, built next to the tests because the test project references both.</summary>
public static class Binaries
{
    public static string Coordinator => Find("portscan");
    public static string Worker => Find("portscan-worker");

    private static string Find(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} was not built next to the tests", path);
    }

    public static Task<ProcessRun> PortScanAsync(params string[] arguments) => ProcessRun.RunAsync(Coordinator, arguments);

    public static Task<ProcessRun> WorkerAsync(params string[] arguments) => ProcessRun.RunAsync(Worker, arguments);
}
