using System.CommandLine;
using System.Globalization;
using System.Net;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Lab;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Commands;

/// <summary><c>portscan lab</c>: a target with known open, closed and filtered ports, up until Ctrl-C.</summary>
internal sealed class LabCommand : Command
{
    private readonly Option<int> _open = OptionFactory.Count("--open", null, 0, 65535, () => 3, "Listening ports");
    private readonly Option<int> _closed = OptionFactory.Count("--closed", null, 0, 65535, () => 10, "Bound but not listening ports (answer with a reset)");
    private readonly Option<int> _filtered = OptionFactory.Count("--filtered", null, 0, 65535, () => 10, "Ports that never answer a SYN (connects time out)");
    private readonly Option<int> _firstPort = OptionFactory.Port("--first-port", LabTarget.DefaultFirstPort, "Where to look for a block of free adjacent ports");
    private readonly Option<bool> _netns = new("--netns")
    {
        Description = "Root only: make the lab a real host in its own network namespace (198.18.0.0/15); filtered ports by nftables, every other port closed",
    };
    private readonly Option<double> _loss = new("--loss")
    {
        HelpName = "PERCENT",
        Description = "With --netns: drop this percent of packets at random, each way (0 to below 100, steps of 0.01)",
        CustomParser = result =>
        {
            if (LabConditions.TryParseLoss(result.Tokens[0].Value, out var percent, out var error))
            {
                return percent;
            }
            result.AddError(error);
            return 0;
        },
    };
    private readonly Option<int> _synLimit = new("--syn-limit")
    {
        Description = $"With --netns: drop new TCP SYNs above this many a second, after a burst of {LabFirewall.SynBurst} (a SYN-flood guard)",
        CustomParser = result => OptionFactory.ParseCount(result, "--syn-limit", 1, LabConditions.MaxSynLimit),
    };
    private readonly Option<(TimeSpan Latency, TimeSpan Jitter)> _latency = new("--latency")
    {
        HelpName = "MS[±JITTER]",
        Description = "With --netns: round-trip delay, half each way, with optional uniform jitter: 100, 100ms, 0.1s, 100±10 (or 100+-10); at most 10s",
        CustomParser = result =>
        {
            if (LabConditions.TryParseLatency(result.Tokens[0].Value, out var latency, out var jitter, out var error))
            {
                return (latency, jitter);
            }
            result.AddError(error);
            return default;
        },
    };
    private readonly Option<string> _address = new("--address")
    {
        HelpName = "ADDRESS",
        Description = "Loopback address to listen on (127.0.0.0/8 or ::1)",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    /// <summary>The line the root's help lists it with, without building its options.</summary>
    public const string Summary = "Start a lab target on loopback with known open, closed and filtered ports; stays up until Ctrl-C";

    public LabCommand()
        : base("lab", Summary)
    {
        Add(_open);
        Add(_closed);
        Add(_filtered);
        Add(_firstPort);
        Add(_address);
        Add(_netns);
        Add(_loss);
        Add(_synLimit);
        Add(_latency);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var netns = parse.GetValue(_netns);
        using var announce = StopSignals.Announce(parse.InvocationConfiguration.Error,
            netns ? "stopping the lab and removing its network namespace" : "stopping the lab", cancellationToken);
        if (netns)
        {
            var (latency, jitter) = parse.GetValue(_latency);
            var conditions = new LabConditions(parse.GetValue(_loss), parse.GetValue(_synLimit), latency, jitter);
            await using var host = await NamespaceLab.StartAsync(parse.GetValue(_open), parse.GetValue(_filtered), parse.GetValue(_firstPort), conditions, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Lab host {host.Address} is up in its own network namespace (Ctrl-C to stop and remove it)").ConfigureAwait(false);
            await output.WriteLineAsync($"open      {Describe(host.Open)}").ConfigureAwait(false);
            await output.WriteLineAsync("closed    every other port").ConfigureAwait(false);
            await output.WriteLineAsync($"filtered  {Describe(host.Filtered)}").ConfigureAwait(false);
            foreach (var line in Describe(conditions))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }
            await output.WriteLineAsync($"Try: {SelfCommand.Prefix} scan {host.Address}").ConfigureAwait(false);
            return await WaitForStopAsync(output, cancellationToken).ConfigureAwait(false);
        }
        if (new Option[] { _loss, _synLimit, _latency }.FirstOrDefault(option => parse.GetResult(option) is { Implicit: false }) is { } shaping)
        {
            throw new UsageException($"{shaping.Name} needs --netns (only a lab in its own network namespace can shape its traffic)");
        }
        var addressText = parse.GetValue(_address)!;
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new UsageException($"--address '{addressText}' is not an IP address");
        }
        await using var lab = LabTarget.Start(address, parse.GetValue(_open), parse.GetValue(_closed), parse.GetValue(_filtered), parse.GetValue(_firstPort));
        await output.WriteLineAsync($"Lab target {lab.Address} is up (Ctrl-C to stop)").ConfigureAwait(false);
        await output.WriteLineAsync($"open      {Describe(lab.Open)}").ConfigureAwait(false);
        await output.WriteLineAsync($"closed    {Describe(lab.Closed)}").ConfigureAwait(false);
        await output.WriteLineAsync($"filtered  {Describe(lab.Filtered)}").ConfigureAwait(false);
        await output.WriteLineAsync($"Try: {SelfCommand.Prefix} scan {lab.Address} --start-port {lab.Ports.Start} --end-port {lab.Ports.End}").ConfigureAwait(false);
        return await WaitForStopAsync(output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> WaitForStopAsync(TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C (or SIGTERM) is how a lab is meant to end; disposal then removes it.
        }
        return ExitCodes.Success;
    }

    private static string Describe(PortRange? range) => range is { } r ? $"{r} ({r.Count})" : "none";

    /// <summary>The conditions in force, one line each, in the lab's table.</summary>
    private static IEnumerable<string> Describe(LabConditions conditions)
    {
        if (conditions.LossPercent > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"loss      {conditions.LossPercent:0.##} % each way");
        }
        if (conditions.SynLimit > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"syn limit {conditions.SynLimit} new SYNs a second (burst {LabFirewall.SynBurst})");
        }
        if (conditions.Latency > TimeSpan.Zero)
        {
            var jitter = conditions.Jitter > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $" ± {conditions.Jitter.TotalMilliseconds:0.###} ms") : "";
            yield return string.Create(CultureInfo.InvariantCulture, $"latency   {conditions.Latency.TotalMilliseconds:0.###} ms round trip{jitter}");
        }
    }
}
