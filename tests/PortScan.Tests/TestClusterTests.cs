using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The cluster the launcher tests run on (tests/cluster/cluster.sh), checked on its own: Slurm
/// steps and ssh sessions reach each node, and the lab host sees each node by its own address.
/// </summary>
[NonParallelizable]
public class TestClusterTests
{
    private TestCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        if (TestCluster.Unavailable() is { } reason)
        {
            Assert.Ignore(reason);
        }
        _cluster = await TestCluster.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Test]
    public async Task A_step_asked_for_on_a_node_runs_there()
    {
        foreach (var node in _cluster.Nodes)
        {
            var run = await _cluster.RunAsync("srun", "-w", node, "-J", "cluster-check", "--", "sh", "-c", "echo \"$SLURMD_NODENAME $(hostname)\"");

            run.ExitCode.ShouldBe(0, run.ToString());
            run.Stdout.Trim().ShouldBe($"{node} {node}", "Slurm's node name and the node's own host name");
        }
    }

    [Test]
    public async Task Ssh_reaches_each_node_from_the_coordinators_address_and_the_refusing_host_fails_with_255()
    {
        foreach (var (node, address) in _cluster.Nodes.Zip(_cluster.NodeAddresses))
        {
            var run = await _cluster.SshAsync(node, "hostname; echo $SSH_CONNECTION");

            run.ExitCode.ShouldBe(0, run.ToString());
            run.StdoutLines[0].ShouldBe(node);
            // SSH_CONNECTION: client address, client port, server address, server port.
            var connection = run.StdoutLines[1].Split(' ');
            (connection[0], connection[2]).ShouldBe((_cluster.CoordinatorAddress.ToString(), address.ToString()));
        }

        var refused = await _cluster.SshAsync(_cluster.RefusingHost, "true");

        refused.ExitCode.ShouldBe(255, refused.ToString());
        refused.Stderr.ShouldContain("Connection refused");
    }

    [Test]
    public async Task The_lab_host_records_each_nodes_connections_under_the_nodes_own_address()
    {
        await _cluster.ClearLabRecordAsync();
        var lab = _cluster.LabAddresses[0];
        var port = int.Parse(_cluster.LabOpen.Split(',')[0]);
        var connect = $"exec 3<>/dev/tcp/{lab}/{port}";

        foreach (var node in _cluster.Nodes.Take(2))
        {
            (await _cluster.RunAsync("srun", "-w", node, "-J", "cluster-check", "--", "bash", "-c", connect)).ExitCode.ShouldBe(0);
        }
        (await _cluster.SshAsync(_cluster.Nodes[2], connect)).ExitCode.ShouldBe(0);
        (await PortProbe.ConnectAsync(lab, port, TimeSpan.FromSeconds(5))).ShouldBe(PortState.Open);

        var connections = await _cluster.LabConnectionsAsync();
        connections.Select(c => c.Source).ShouldBe([.. _cluster.NodeAddresses, _cluster.CoordinatorAddress], ignoreOrder: true);
        connections.ShouldAllBe(c => c.LabAddress.Equals(lab) && c.Port == port && c.Syns == 1);
        (await _cluster.LabSynsBySourceAsync()).ShouldBe(connections.ToDictionary(c => c.Source, c => c.Syns), ignoreOrder: true, "every SYN counted by its source too");
    }

    [Test]
    public async Task The_lab_host_has_open_closed_and_filtered_ports_on_each_address()
    {
        var open = int.Parse(_cluster.LabOpen.Split(',')[^1]);
        var filtered = _cluster.LabFilteredRange.Start;
        var closed = filtered - 1;

        foreach (var lab in _cluster.LabAddresses)
        {
            (await PortProbe.ConnectAsync(lab, open, TimeSpan.FromSeconds(5))).ShouldBe(PortState.Open, $"{lab} port {open}");
            (await PortProbe.ConnectAsync(lab, closed, TimeSpan.FromSeconds(5))).ShouldBe(PortState.Closed, $"{lab} port {closed}");
            (await PortProbe.ConnectAsync(lab, filtered, TimeSpan.FromMilliseconds(300))).ShouldBe(PortState.Filtered, $"{lab} port {filtered}");
        }
    }

    [Test]
    public async Task A_second_cluster_comes_up_at_once_beside_the_first_with_its_own_names_and_addresses_and_both_work()
    {
        // Another test run's cluster, while this fixture's is up: neither waits for the other.
        await using var second = await TestCluster.StartAsync();

        second.Namespaces.Intersect(_cluster.Namespaces).ShouldBeEmpty();
        second.Bridge.ShouldNotBe(_cluster.Bridge);
        second.NodeAddresses.Concat(second.LabAddresses).Intersect(_cluster.NodeAddresses.Concat(_cluster.LabAddresses)).ShouldBeEmpty();
        foreach (var cluster in new[] { _cluster, second })
        {
            var step = await cluster.RunAsync("srun", "-w", cluster.Nodes[2], "-J", "cluster-check", "--", "sh", "-c", "echo $SLURMD_NODENAME");
            step.Stdout.Trim().ShouldBe(cluster.Nodes[2], step.ToString());
            var ssh = await cluster.SshAsync(cluster.Nodes[0], "echo $SSH_CONNECTION");
            ssh.Stdout.Split(' ')[2].ShouldBe(cluster.NodeAddresses[0].ToString(), ssh.ToString());
        }
    }

    [Test]
    public async Task More_single_task_steps_than_the_nodes_have_cpus_run_at_once()
    {
        // Each step waits until all have started: they finish only if all run together.
        var steps = 4 * _cluster.Nodes.Count * Environment.ProcessorCount;
        var barrier = TestTemp.Directory("cluster-barrier").FullName;
        var wait = $"touch '{barrier}'/$SLURM_JOB_ID; while [ $(ls '{barrier}' | wc -l) -lt {steps} ]; do sleep 0.1; done; echo $SLURMD_NODENAME";

        var runs = await Task.WhenAll(Enumerable.Range(0, steps).Select(_ =>
            _cluster.RunAsync("srun", "-n1", "--immediate=30", "-J", "cluster-check", "--", "sh", "-c", wait)));

        runs.ShouldAllBe(run => run.ExitCode == 0);
        runs.Select(run => run.Stdout.Trim()).Distinct().Order().ToList().ShouldBe(_cluster.Nodes, "Slurm spreads the steps over every node");
    }
}
