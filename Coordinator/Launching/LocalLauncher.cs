using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PortScan.Coordinator.Launching;

/// <summary><c>--launch local</c>, the default: every worker a child process of the coordinator, on this machine.</summary>
/// <param name="spare">Started as the coordinator started: the first worker takes it.</param>
public sealed class LocalLauncher(WorkerCommand command, ILogger logger, SpareWorker? spare = null) : ProcessLauncher(logger)
{
    public override string Name => "local";

    public override int Cpus => Environment.ProcessorCount;

    public override TimeSpan StartupAllowance => TimeSpan.Zero;

    public override string Placement => "Each slice's worker is a child process on this machine.";

    protected override Process? TakeSpare() => spare?.Take(command);

    protected override IReadOnlyList<string> CommandLine(int worker, string? host, IReadOnlyList<string> arguments) =>
        [command.FileName, .. command.LeadingArguments, .. arguments];
}
