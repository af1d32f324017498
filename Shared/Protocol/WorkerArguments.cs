using System.Globalization;
using System.Net;
using PortScan.Shared.Ports;

namespace PortScan.Shared.Protocol;

/// <summary>
/// The command line a coordinator gives a worker. Built and parsed in one place so both sides
/// agree. The worker parses it by hand rather than with System.CommandLine: the worker is
/// started once a slice, and its start-up time is part of every scan's wall clock.
/// </summary>
public sealed record WorkerArguments(IPAddress Target, PortRange Ports, int TimeoutMs, int Concurrency, int WorkerId)
{
    public IEnumerable<string> ToArgumentList()
    {
        yield return "--target";
        yield return Target.ToString();
        yield return "--start-port";
        yield return Ports.Start.ToString(CultureInfo.InvariantCulture);
        yield return "--end-port";
        yield return Ports.End.ToString(CultureInfo.InvariantCulture);
        yield return "--timeout-ms";
        yield return TimeoutMs.ToString(CultureInfo.InvariantCulture);
        yield return "--concurrency";
        yield return Concurrency.ToString(CultureInfo.InvariantCulture);
        yield return "--worker-id";
        yield return WorkerId.ToString(CultureInfo.InvariantCulture);
    }

    /// <exception cref="FormatException">One line saying what is wrong.</exception>
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is not ("--target" or "--start-port" or "--end-port" or "--timeout-ms" or "--concurrency" or "--worker-id"))
            {
                throw new FormatException($"unknown option '{name}'");
            }
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"option '{name}' needs a value");
            }
            values[name] = args[i + 1];
        }

        var targetText = Required(values, "--target");
        if (!IPAddress.TryParse(targetText, out var target))
        {
            throw new FormatException($"--target '{targetText}' is not an IP address (the coordinator resolves names)");
        }
        var start = Number(values, "--start-port");
        var end = Number(values, "--end-port");
        if (!PortRange.TryCreate(start, end, out var ports, out var error))
        {
            throw new FormatException(error);
        }
        var timeout = Number(values, "--timeout-ms");
        var concurrency = Number(values, "--concurrency");
        var worker = values.ContainsKey("--worker-id") ? Number(values, "--worker-id") : 0;
        if (timeout < 1)
        {
            throw new FormatException("--timeout-ms must be at least 1");
        }
        if (concurrency < 1)
        {
            throw new FormatException("--concurrency must be at least 1");
        }
        if (worker < 0)
        {
            throw new FormatException("--worker-id must not be negative");
        }
        return new WorkerArguments(target, ports, timeout, concurrency, worker);
    }

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : throw new FormatException($"option '{name}' is required");

    private static int Number(Dictionary<string, string> values, string name)
    {
        var text = Required(values, name);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"{name} '{text}' is not a whole number");
    }
}
