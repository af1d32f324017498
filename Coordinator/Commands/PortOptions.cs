using System.CommandLine;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Commands;

/// <summary>The port range and worker count, shared by every command that plans slices.</summary>
internal sealed class PortOptions
{
    public Option<int> Start { get; } = OptionFactory.Port("--start-port", PortRange.MinPort, "First port to scan");
    public Option<int> End { get; } = OptionFactory.Port("--end-port", PortRange.MaxPort, "Last port to scan");
    public Option<int> Workers { get; } = OptionFactory.Count("--workers", "-w", 1, ScanDefaults.MaxWorkers, () => ScanDefaults.Workers,
        "Worker processes, one per contiguous slice of the range (default: one per core)");

    public void AddTo(Command command)
    {
        command.Add(Start);
        command.Add(End);
        command.Add(Workers);
    }

    /// <summary>The range; start &gt; end is a user's mistake (exit code 2), checked once both values parsed.</summary>
    public PortRange Range(ParseResult parse) =>
        PortRange.TryCreate(parse.GetValue(Start), parse.GetValue(End), out var range, out var error)
            ? range
            : throw new UsageException(error);
}
