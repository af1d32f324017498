using System.Runtime.CompilerServices;
using System.Text.Json;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// portscan as a .NET tool, the way README tells users to install it: packed from this source
/// tree, installed into a tool path, run by the command name. 86 s on the project's
/// 2-core machine under load, nearly all of it the pack's build.
/// </summary>
public class ToolPackageTests
{
    // Building is not what is tested, and a slow machine must not fail the test.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(15);

    [Test]
    public async Task The_packed_tool_installs_into_a_tool_path_and_its_portscan_finds_its_worker_and_its_probe_database_and_scans()
    {
        var packages = TestTemp.Directory("tool-packages");
        var artifacts = TestTemp.Directory("tool-build");
        var toolPath = TestTemp.Directory("tool-path");
        // ReadyToRun is off: compiling the composite image takes minutes and changes how the code
        // is compiled, not which files the package holds or where the tool looks for its worker.
        var pack = await DotnetAsync(["pack", CoordinatorProject(), "--output", packages.FullName, "--artifacts-path", artifacts.FullName,
            "--disable-build-servers", "-p:PublishReadyToRun=false"]);
        pack.ExitCode.ShouldBe(0, pack.ToString());
        // Only the packages just made: a package of the same name and version elsewhere must not stand in for them.
        var config = Path.Combine(packages.FullName, "nuget.config");
        await File.WriteAllTextAsync(config,
            $"""<configuration><packageSources><clear /><add key="local" value="{packages.FullName}" /></packageSources></configuration>""");

        var install = await DotnetAsync(["tool", "install", "portscan", "--version", "0.1.0", "--tool-path", toolPath.FullName, "--configfile", config]);
        install.ExitCode.ShouldBe(0, install.ToString());

        // An SSH greeting: -sV names it from portscan's own database, which the package must hold next to the worker.
        await using var services = new LoopbackServices();
        var port = services.TcpGreeting("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"u8.ToArray());
        var scan = await ProcessRun.RunAsync(Path.Combine(toolPath.FullName, "portscan"),
            ["scan", "127.0.0.1", "-p", port.ToString(), "-w", "1", "-sV", "--format", "json", "--no-progress"]);

        scan.ExitCode.ShouldBe(0, scan.ToString());
        using var report = JsonDocument.Parse(scan.Stdout);
        var ports = report.RootElement.GetProperty("hosts")[0].GetProperty("ports").EnumerateArray()
            .Select(p => (p.GetProperty("port").GetInt32(), p.GetProperty("state").GetString(), p.GetProperty("service").GetProperty("product").GetString()));
        ports.ShouldBe([(port, "open", "OpenSSH")], "the installed tool's scan of the test's own greeting service");
    }

    private static Task<ProcessRun> DotnetAsync(string[] arguments) =>
        ProcessRun.RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", arguments, BuildLimit);

    private static string CoordinatorProject([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "Coordinator", "PortScan.Coordinator.csproj"));
}
