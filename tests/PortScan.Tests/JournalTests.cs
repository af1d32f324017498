using System.Net;
using PortScan.Coordinator.Cli;
using PortScan.Coordinator.Scanning;
using PortScan.Coordinator.Targets;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>The journal's format without a network: what is written is read back and restored exactly.</summary>
public class JournalTests
{
    private static readonly ResolvedTarget[] Hosts = [new("localhost", IPAddress.Loopback), new("::1", IPAddress.IPv6Loopback)];

    private static ScanRequest Request(VersionDetection? version = null) =>
        new(Hosts, new PortSelection(PortSet.Of(new PortRange(1, 40)), PortSet.Of(new PortRange(53, 54))), 3,
            new ProbeSettings(1000, 100, 1000, 0, 8, 0, 0), 0, Schedule.Cyclic, version);

    private static SliceTracker[] Slices(ScanRequest request) =>
        [.. SlicePlanner.Plan(request.Work, request.Workers, request.Schedule).Select(s => new SliceTracker(s, request.Work))];

    private static PortResult At(SliceTracker[] slices, int position)
    {
        var slice = slices.Single(s => s.Holds(position));
        var (transport, port) = slice.WorkList.Ports.At(position % slice.WorkList.Ports.Count);
        return new PortResult(transport, port, slice.StateAt(position), slice.RttAt(position), slice.BannerAt(position), slice.ReasonAt(position), slice.ServiceAt(position));
    }

    [Test]
    public void Every_kind_of_result_written_to_a_journal_is_restored_as_it_was_recorded()
    {
        var request = Request();
        var journalPath = Path.Combine(TestTemp.Directory("journal").FullName, "scan.journal");
        var results = new List<(ResolvedTarget Host, PortResult Port)>
        {
            (Hosts[0], new PortResult(Transport.Tcp, 22, PortState.Open, 0.125, "SSH-2.0-OpenSSH_9.2p1 Debian-2")),
            (Hosts[0], new PortResult(Transport.Tcp, 23, PortState.Filtered, reason: PortReason.HostUnreach)),
            (Hosts[0], new PortResult(Transport.Udp, 53, PortState.OpenFiltered)),
            (Hosts[1], new PortResult(Transport.Udp, 54, PortState.Open, 0.5)),
        };
        results.AddRange(Enumerable.Range(1, 20).Select(port => (Hosts[1], new PortResult(Transport.Tcp, port, port % 3 == 0 ? PortState.Filtered : PortState.Closed))));
        results.AddRange(Enumerable.Range(24, 10).Select(port => (Hosts[0], new PortResult(Transport.Tcp, port, PortState.Closed))));
        var written = Slices(request);
        var attempts = written.ToDictionary(s => s, s => s.NewAttempt(s.Slice.Worker));

        using (var journal = ScanJournal.Create(journalPath, "/", ["127.0.0.1", "-p", "1-40"]))
        {
            foreach (var (host, port) in results)
            {
                var position = request.Work.PositionOf(Array.IndexOf(Hosts, host), port.Transport, port.Port);
                var slice = written.Single(s => s.Holds(position));
                slice.TryRecord(attempts[slice], Array.IndexOf(Hosts, host), port, out _).ShouldBeTrue();
                journal.PortFinished(slice, host, port);
            }
        }
        var read = JournalFile.Read(journalPath);
        var restored = Slices(request);
        read.Results.Restore(request, restored, new ProgressCounts(request));

        read.Arguments.ShouldBe(["127.0.0.1", "-p", "1-40"]);
        read.Results.Count.ShouldBe(results.Count);
        for (var position = 0; position < request.Work.Count; position++)
        {
            At(restored, position).ShouldBe(At(written, position), $"position {position}");
        }
        restored.Sum(s => s.Finished).ShouldBe(results.Count);
    }

    [Test]
    public void With_version_detection_an_open_port_whose_service_the_journal_lacks_is_left_to_scan_again()
    {
        var request = Request(new VersionDetection(7, null));
        var journalPath = Path.Combine(TestTemp.Directory("journal-sv").FullName, "scan.journal");
        var service = new DetectedService("probed", 10, [], Name: "ssh", Product: "OpenSSH");
        var slices = Slices(request);
        var (probed, unprobed) = (new PortResult(Transport.Tcp, 22, PortState.Open, 0.1), new PortResult(Transport.Tcp, 30, PortState.Open, 0.1));

        using (var journal = ScanJournal.Create(journalPath, "/", ["127.0.0.1", "-sV"]))
        {
            journal.PortFinished(slices[0], Hosts[0], probed);
            journal.PortFinished(slices[0], Hosts[0], unprobed);
            journal.ServiceFound(slices[0], Hosts[0], new PortResult(Transport.Tcp, 22, PortState.Open, 0.1, service: service));
        }
        var restored = Slices(request);
        JournalFile.Read(journalPath).Results.Restore(request, restored, new ProgressCounts(request));

        var found = At(restored, request.Work.PositionOf(0, Transport.Tcp, 22)).Service.ShouldNotBeNull();
        (found.Name, found.Product, found.Method, found.Conf).ShouldBe(("ssh", "OpenSSH", "probed", 10));
        At(restored, request.Work.PositionOf(0, Transport.Tcp, 30)).State.ShouldBe(PortState.Unscanned, "its service is still to be found");
    }

    [Test]
    public void A_journal_result_for_a_host_that_is_no_longer_a_target_refuses_the_merge()
    {
        var journalPath = Path.Combine(TestTemp.Directory("journal-host").FullName, "scan.journal");
        using (var journal = ScanJournal.Create(journalPath, "/", ["somewhere"]))
        {
            journal.PortFinished(Slices(Request())[0], new ResolvedTarget("somewhere", IPAddress.Parse("198.18.0.9")), new PortResult(Transport.Tcp, 1, PortState.Closed));
        }
        var request = Request();

        var refusal = Should.Throw<UsageException>(() => JournalFile.Read(journalPath).Results.Restore(request, Slices(request), new ProgressCounts(request)));

        refusal.Message.ShouldContain("198.18.0.9 is not a target of this scan now");
    }
}
