using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// The cluster's teardown leaves nothing behind: PID 1 here reaps no orphans, so a daemon or a
/// step's leftover that outlived the tests would run (or linger as a zombie) until the machine stops.
/// </summary>
[NonParallelizable]
public class TestClusterTeardownTests
{
    [Test]
    public async Task A_cluster_taken_down_leaves_no_process_namespace_or_bridge_even_after_steps_and_sessions_left_processes()
    {
        if (TestCluster.Unavailable() is { } reason)
        {
            Assert.Ignore(reason);
        }
        var cluster = await TestCluster.StartAsync();
        List<int> pids;
        try
        {
            // A step and an ssh session that each leave a process behind on their node.
            (await cluster.RunAsync("srun", "-w", cluster.Nodes[0], "--", "sh", "-c", "sleep 600 </dev/null >/dev/null 2>&1 &")).ExitCode.ShouldBe(0);
            (await cluster.SshAsync(cluster.Nodes[1], "sleep 600 </dev/null >/dev/null 2>&1 &")).ExitCode.ShouldBe(0);
            (await cluster.ProcessesOnNodesAsync()).Count(p => p.CommandLine == "sleep 600").ShouldBe(2);
            pids = [.. (await NamespacePidsAsync(cluster.Namespaces)).Distinct()];
            pids.Count.ShouldBeGreaterThan(10, "munged, slurmctld, a slurmd and an sshd a node, the lab's listeners, the sleeps");
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        pids.Where(IsRunning).ShouldBeEmpty("every process of the cluster has ended");
        // Only this cluster's names: another test run's cluster may stand beside it.
        cluster.Namespaces.Count.ShouldBe(5, "the controller's, three nodes', the lab's");
        cluster.Namespaces.Where(netns => File.Exists($"/run/netns/{netns}")).ShouldBeEmpty("the cluster's namespaces are removed");
        Directory.Exists($"/sys/class/net/{cluster.Bridge}").ShouldBeFalse("the bridge is removed");
    }

    private static async Task<List<int>> NamespacePidsAsync(IEnumerable<string> namespaces)
    {
        var pids = new List<int>();
        foreach (var netns in namespaces)
        {
            var run = await ProcessRun.RunAsync("ip", ["netns", "pids", netns]);
            run.ExitCode.ShouldBe(0, run.ToString());
            pids.AddRange(run.StdoutLines.Select(int.Parse));
        }
        return pids;
    }

    /// <summary>Running: neither gone nor a zombie.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
