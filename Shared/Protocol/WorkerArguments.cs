using System.Globalization;
using System.Net;
using PortScan.Shared.Ports;

namespace PortScan.Shared.Protocol;

/// <summary>
/// The command line a coordinator gives a worker. Built and parsed in one place so both sides
/// agree. The worker parses it by hand rather than with System.CommandLine: the worker is
/// started once a slice, and its start-up time is part of every scan's wall clock.
/// <para>
/// <c>--supervised</c> tells a worker it runs under a coordinator (see the worker's
/// <c>CoordinatorLifeline</c>): it exits when its stdin pipe closes, and leaves the terminal's
/// process group. Without it a worker run by hand behaves like any command-line tool.
/// </para>
/// </summary>
public sealed record WorkerArguments(IPAddress Target, PortSet Ports, int TimeoutMs, int Concurrency, int WorkerId, bool Supervised)
{
    private const string SupervisedFlag = "--supervised";

    public IEnumerable<string> ToArgumentList()
    {
        yield return "--target";
        yield return Target.ToString();
        yield return "--ports";
        yield return Ports.ToString();
        yield return "--timeout-ms";
        yield return TimeoutMs.ToString(CultureInfo.InvariantCulture);
        yield return "--concurrency";
        yield return Concurrency.ToString(CultureInfo.InvariantCulture);
        yield return "--worker-id";
        yield return WorkerId.ToString(CultureInfo.InvariantCulture);
        if (Supervised)
        {
            yield return SupervisedFlag;
        }
    }

    /// <exception cref="FormatException">One line saying what is wrong.</exception>
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var supervised = false;
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name == SupervisedFlag)
            {
                supervised = true;
                i--;
                continue;
            }
            if (name is not ("--target" or "--ports" or "--timeout-ms" or "--concurrency" or "--worker-id"))
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
        if (!PortSet.TryParse(Required(values, "--ports"), out var ports, out var error))
        {
            throw new FormatException($"--ports: {error}");
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
        return new WorkerArguments(target, ports, timeout, concurrency, worker, supervised);
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
