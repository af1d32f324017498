using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortScan.Tests.Support;

/// <summary>
/// The three-node Slurm and OpenSSH cluster of tests/cluster/cluster.sh, held up while a fixture's
/// tests run: the script builds it, prints its variables and "ready", and tears it down when its
/// stdin closes. The same script runs bench/cluster.sh, so tests and benchmarks share one cluster.
/// </summary>
public sealed partial class TestCluster : IAsyncDisposable
{
    /// <summary>What the script needs besides root; a missing one skips the tests rather than failing them.</summary>
    private static readonly string[] Tools = ["ip", "nft", "socat", "tini", "munged", "slurmctld", "slurmd", "srun", "squeue", "scancel", "sshd", "ssh", "ssh-keygen"];

    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    private readonly RunningProcess _script;
    private readonly Dictionary<string, string> _variables;

    private TestCluster(RunningProcess script, Dictionary<string, string> variables)
    {
        _script = script;
        _variables = variables;
    }

    /// <summary>Why no cluster can be built here (not root, a package missing), or null.</summary>
    public static string? Unavailable()
    {
        if (Environment.UserName != "root")
        {
            return "the cluster needs root (ip netns add, slurmd, sshd)";
        }
        string[] path = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'), "/usr/sbin", "/sbin"];
        var missing = Tools.Where(tool => !path.Any(folder => File.Exists(Path.Combine(folder, tool)))).ToList();
        return missing.Count == 0 ? null
            : $"the cluster needs {string.Join(", ", missing)} (apt-get install iproute2 nftables socat tini munge slurmctld slurmd slurm-client openssh-server)";
    }

    /// <summary>Builds the cluster, its files in a TestTemp directory; fails with the script's output if it does not come up.</summary>
    public static async Task<TestCluster> StartAsync()
    {
        var directory = TestTemp.Directory("cluster");
        var script = RunningProcess.Start("env", $"CLUSTER_DIR={directory.FullName}", Script());
        try
        {
            await script.WaitForStdoutAsync(Ready(), StartLimit);
        }
        catch (TimeoutException)
        {
            var failed = await StopAsync(script);
            throw new InvalidOperationException($"the cluster did not come up:\n{failed}");
        }
        var variables = script.Stdout.Split('\n')
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new TestCluster(script, variables);
    }

    public string SlurmConf => _variables["SLURM_CONF"];

    /// <summary>For <c>ssh -F</c>: names node1..node3 and <see cref="RefusingHost"/>, with the key and known hosts.</summary>
    public string SshConfig => _variables["CLUSTER_SSH_CONFIG"];

    /// <summary>node1, node2, node3: ssh destinations and Slurm node names alike.</summary>
    public IReadOnlyList<string> Nodes => Words("CLUSTER_NODES");

    public IReadOnlyList<IPAddress> NodeAddresses => [.. Words("CLUSTER_NODE_ADDRESSES").Select(IPAddress.Parse)];

    /// <summary>A destination on the bridge where no sshd listens: ssh to it is refused.</summary>
    public string RefusingHost => _variables["CLUSTER_REFUSING_HOST"];

    /// <summary>Every network namespace of this cluster (controller, nodes, lab); other clusters may stand beside it.</summary>
    public IReadOnlyList<string> Namespaces => Words("CLUSTER_NETNS");

    /// <summary>The bridge joining this cluster's namespaces and this machine.</summary>
    public string Bridge => _variables["CLUSTER_BRIDGE"];

    public IPAddress CoordinatorAddress => IPAddress.Parse(_variables["CLUSTER_COORDINATOR_ADDRESS"]);

    /// <summary>The lab host's addresses, all in one network namespace.</summary>
    public IReadOnlyList<IPAddress> LabAddresses => [.. Words("CLUSTER_LAB_ADDRESSES").Select(IPAddress.Parse)];

    /// <summary>The lab host's open ports, in -p syntax; <see cref="LabFiltered"/> are dropped, every other port is closed.</summary>
    public string LabOpen => _variables["CLUSTER_LAB_OPEN"];

    public string LabFiltered => _variables["CLUSTER_LAB_FILTERED"];

    public PortRange LabFilteredRange => LabFiltered.Split('-') is [var start, var end] ? new PortRange(int.Parse(start), int.Parse(end)) : throw new FormatException(LabFiltered);

    /// <summary>What a scan of the lab host must find on <paramref name="port"/>, on any of its addresses.</summary>
    public PortState ExpectedState(int port) =>
        LabOpen.Split(',').Select(int.Parse).Contains(port) ? PortState.Open
        : LabFilteredRange.Contains(port) ? PortState.Filtered
        : PortState.Closed;

    public double StartSeconds => double.Parse(_variables["CLUSTER_START_SECONDS"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Who has connected to the lab host's open ports, as its kernel recorded them (the nftables set
    /// <c>inet cluster_lab connections</c>): one entry a source, lab address and port, with its SYNs.
    /// </summary>
    public async Task<IReadOnlyList<LabConnection>> LabConnectionsAsync() =>
    [
        .. (await LabSetAsync("connections")).Select(element =>
        {
            var key = element.Key.GetProperty("concat");
            return new LabConnection(IPAddress.Parse(key[0].GetString()!), IPAddress.Parse(key[1].GetString()!), key[2].GetInt32(), element.Syns);
        }),
    ];

    /// <summary>The SYNs the lab host has received, to any port, by source address (the nftables set <c>inet cluster_lab sources</c>).</summary>
    public async Task<IReadOnlyDictionary<IPAddress, long>> LabSynsBySourceAsync() =>
        (await LabSetAsync("sources")).ToDictionary(element => IPAddress.Parse(element.Key.GetString()!), element => element.Syns);

    /// <summary>Forgets the SYNs and connections recorded so far, so that a test sees only its own.</summary>
    public async Task ClearLabRecordAsync()
    {
        var run = await ProcessRun.RunAsync("ip", ["netns", "exec", _variables["CLUSTER_LAB_NETNS"], "nft", "flush set inet cluster_lab sources; flush set inet cluster_lab connections"]);
        run.ExitCode.ShouldBe(0, run.ToString());
    }

    /// <summary>The elements of one of the lab's sets (<c>nft -j</c>): each key, and its counter's packets.</summary>
    private async Task<List<(JsonElement Key, long Syns)>> LabSetAsync(string name)
    {
        var run = await ProcessRun.RunAsync("ip", ["netns", "exec", _variables["CLUSTER_LAB_NETNS"], "nft", "-j", "list", "set", "inet", "cluster_lab", name]);
        run.ExitCode.ShouldBe(0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var set = json.RootElement.GetProperty("nftables").EnumerateArray().Single(item => item.TryGetProperty("set", out _)).GetProperty("set");
        return set.TryGetProperty("elem", out var elements)
            ? [.. elements.EnumerateArray().Select(e => e.GetProperty("elem")).Select(e => (e.GetProperty("val").Clone(), e.GetProperty("counter").GetProperty("packets").GetInt64()))]
            : [];
    }

    /// <summary>Runs a program with the cluster's Slurm configuration in its environment (srun, squeue, scancel, portscan).</summary>
    public Task<ProcessRun> RunAsync(string fileName, params string[] arguments) =>
        ProcessRun.RunAsync("env", [$"SLURM_CONF={SlurmConf}", fileName, .. arguments]);

    /// <summary>Starts a program as <see cref="RunAsync"/> does, to watch and signal it (env execs it: the pid is the program's).</summary>
    public RunningProcess Start(string fileName, params string[] arguments) =>
        RunningProcess.Start("env", [$"SLURM_CONF={SlurmConf}", fileName, .. arguments]);

    /// <summary>ssh to a node with the cluster's client configuration.</summary>
    public Task<ProcessRun> SshAsync(string destination, string command) =>
        ProcessRun.RunAsync("ssh", ["-F", SshConfig, "-T", "-o", "BatchMode=yes", destination, command]);

    /// <summary>Every process in a node's network namespace but the node's daemons: what steps and ssh sessions left running.</summary>
    public async Task<IReadOnlyList<NodeProcess>> ProcessesOnNodesAsync()
    {
        var found = new List<NodeProcess>();
        foreach (var (node, netns) in Nodes.Zip(Words("CLUSTER_NODE_NETNS")))
        {
            var pids = await ProcessRun.RunAsync("ip", ["netns", "pids", netns]);
            pids.ExitCode.ShouldBe(0, pids.ToString());
            foreach (var pid in pids.StdoutLines.Select(int.Parse))
            {
                if (ReadCommandLine(pid) is { } commandLine && !IsDaemon(commandLine))
                {
                    found.Add(new NodeProcess(node, pid, commandLine));
                }
            }
        }
        return found;
    }

    /// <summary>Closes the script's stdin and waits while it tears the cluster down.</summary>
    public async ValueTask DisposeAsync()
    {
        var run = await StopAsync(_script);
        run.ExitCode.ShouldBe(0, $"the cluster's teardown:\n{run}");
    }

    private static async Task<ProcessRun> StopAsync(RunningProcess script)
    {
        await using (script)
        {
            script.CloseStandardInput();
            return await script.WaitForExitAsync(StartLimit);
        }
    }

    private string[] Words(string name) => _variables[name].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
    }

    /// <summary>The daemons the script started on a node (sshd rewrites its command line; a zombie's is empty).</summary>
    private static bool IsDaemon(string commandLine) =>
        commandLine.Length == 0 || commandLine.StartsWith("slurmd -D ", StringComparison.Ordinal) || commandLine.StartsWith("sshd: /usr/sbin/sshd -D ", StringComparison.Ordinal);

    private static string Script([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "cluster", "cluster.sh"));

    [GeneratedRegex("^ready$", RegexOptions.Multiline)]
    private static partial Regex Ready();
}

/// <summary>Connections from one source to one of the lab host's open ports: <paramref name="Syns"/> SYNs (one a connection, and any retransmission).</summary>
public readonly record struct LabConnection(IPAddress Source, IPAddress LabAddress, int Port, long Syns);

/// <summary>A process running in a node's network namespace.</summary>
public readonly record struct NodeProcess(string Node, int Pid, string CommandLine);
