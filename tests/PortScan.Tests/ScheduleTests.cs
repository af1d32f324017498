using System.Net;
using System.Text.RegularExpressions;
using PortScan.Coordinator.Output;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;
using PortScan.Shared.Work;
using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>
/// --schedule: the block schedule (the article's contiguous slices), the cyclic one (every W-th
/// position, OpenMP's schedule(static,1)) and the dynamic one (chunks handed out on request,
/// schedule(dynamic,chunk)), their formulas, their wire forms, and scans whose worker is killed mid-scan.
/// </summary>
public partial class ScheduleTests
{
    [Test]
    public void Cyclic_worker_i_takes_positions_i_plus_k_times_w_and_every_position_once_for_many_inputs()
    {
        var random = new Random(20261122);
        for (var trial = 0; trial < 2000; trial++)
        {
            var total = random.Next(1, 5000);
            var workers = random.Next(1, 80);

            var slices = SlicePlanner.Plan(total, workers, Schedule.Cyclic);

            var w = Math.Min(workers, total);
            slices.Count.ShouldBe(w);
            var seen = new int[total];
            foreach (var slice in slices)
            {
                var positions = slice.Positions().ToList();
                positions.ShouldBe(Enumerable.Range(0, total).Where(p => p % w == slice.Worker), $"total {total}, {workers} workers, worker {slice.Worker}");
                foreach (var position in positions)
                {
                    seen[position]++;
                    slice.IndexOf(position).ShouldBe((position - slice.Worker) / w);
                    SlicePlanner.SliceOf(slices, position).ShouldBe(slice.Worker);
                }
            }
            seen.ShouldAllBe(count => count == 1, $"total {total}, {workers} workers");
        }
    }

    [Test]
    public void A_slice_knows_which_hosts_it_covers_and_which_positions_are_its_own()
    {
        // 3 hosts × 10 ports over 4 workers, round-robin: worker 2 holds 2, 6, 10, …, 26.
        var bounds = SlicePlanner.Plan(30, 4, Schedule.Cyclic)[2];

        (bounds.Start, bounds.Stride, bounds.Count, bounds.End).ShouldBe((2, 4, 7, 26));
        bounds.IndexOf(3).ShouldBe(-1);
        bounds.IndexOf(30).ShouldBe(-1);
        bounds.Overlaps(0, 1).ShouldBeFalse("positions 0 and 1 are workers 0's and 1's");
        bounds.Overlaps(7, 9).ShouldBeFalse("8 is worker 0's");
        bounds.Overlaps(20, 29).ShouldBeTrue("22 and 26");
        bounds.Overlaps(27, 29).ShouldBeFalse("past its last position");
    }

    [Test]
    public void Every_w_th_port_is_written_as_a_stride_and_read_back()
    {
        var ports = PortSet.Of(Enumerable.Range(0, 250).Select(k => new PortRange(20003 + (8 * k), 20003 + (8 * k))));

        ports.ToString().ShouldBe("20003-21995/8");
        PortSet.TryParse("20003-21995/8", out var parsed, out _).ShouldBeTrue();
        parsed.ShouldBe(ports);
        // Two single ports are not worth a stride; ranges and strides mix.
        PortSet.TryParse("1-3,10,20,40-60/10,70-80", out var mixed, out _).ShouldBeTrue();
        mixed.ToString().ShouldBe("1-3,10,20,40-60/10,70-80");
        PortSet.TryParse("5,9", out var pair, out _).ShouldBeTrue();
        pair.ToString().ShouldBe("5,9");
    }

    [TestCase("1-9/0")]
    [TestCase("1-9/")]
    [TestCase("1-9/x")]
    [TestCase("9-1/2")]
    public void A_bad_stride_is_refused_with_one_line(string text)
    {
        PortSet.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotContain("\n");
        error.ShouldNotBeEmpty();
    }

    [Test]
    public void A_cyclic_slice_of_many_hosts_is_a_few_segments_in_the_wire_syntax()
    {
        var work = new WorkList([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")],
            PortSelection.OfTcp(PortSet.Of(new PortRange(1, 10))));

        var slices = SlicePlanner.Plan(work, 4, Schedule.Cyclic);

        slices.Select(s => s.Work.ToString()).ShouldBe([
            "127.0.0.1 1-9/4; 127.0.0.2 3,7; 127.0.0.3 1-9/4",
            "127.0.0.1 2-10/4; 127.0.0.2 4,8; 127.0.0.3 2-10/4",
            "127.0.0.1 3,7; 127.0.0.2 1-9/4; 127.0.0.3 3,7",
            "127.0.0.1 4,8; 127.0.0.2 2-10/4; 127.0.0.3 4,8",
        ]);
    }

    [Test]
    public async Task Plan_prints_the_cyclic_assignment_and_its_arithmetic()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("plan", "-p", "20000-21999", "-w", "8", "--schedule", "cyclic");

        exit.ShouldBe(0);
        stdout.ShouldContain("2000 ports over 8 workers, dealt round-robin: worker i takes positions i, i + 8, i + 16, …; 250 each.");
        stdout.ShouldContain("     3  20003  21995    250  20003-21995/8");
    }

    [Test]
    public void Dynamic_chunks_are_contiguous_runs_of_the_chunk_size_that_cover_every_position_once_for_many_inputs()
    {
        var random = new Random(20261122);
        for (var trial = 0; trial < 2000; trial++)
        {
            var total = random.Next(1, 5000);
            var workers = random.Next(1, 80);
            var schedule = random.Next(2) == 0 ? Schedule.Dynamic() : Schedule.Dynamic(random.Next(1, 300));

            var chunks = SlicePlanner.Plan(total, workers, schedule);

            var chunk = schedule.Chunk > 0 ? schedule.Chunk : (int)Math.Ceiling(total / (8.0 * Math.Min(workers, total)));
            chunks.Count.ShouldBe((total + chunk - 1) / chunk, $"total {total}, {workers} workers, {schedule}");
            SlicePlanner.Chunks(total, workers, schedule).ShouldBe(chunks.Count);
            SlicePlanner.Workers(total, workers, schedule).ShouldBe(Math.Min(Math.Min(workers, total), chunks.Count));
            for (var i = 0; i < chunks.Count; i++)
            {
                (chunks[i].Worker, chunks[i].Start, chunks[i].Stride).ShouldBe((i, i * chunk, 1));
                chunks[i].Count.ShouldBe(i < chunks.Count - 1 ? chunk : total - (i * chunk), "only the last chunk may be short");
            }
            chunks.Sum(c => c.Count).ShouldBe(total);
        }
    }

    [Test]
    public void A_dynamic_schedule_with_more_chunks_than_a_scan_keeps_track_of_says_so()
    {
        Schedule.Dynamic(1).Problem(65_536, 8).ShouldBeNull();
        Schedule.Dynamic(1).Problem(65_537, 8).ShouldNotBeNull().ShouldContain("give a larger chunk");
        Schedule.Dynamic().Problem(100_000_000, 4).ShouldBeNull("the default chunk makes 8 a worker");
        Schedule.Cyclic.Problem(100_000_000, 4).ShouldBeNull();
    }

    [Test]
    public void A_chunk_goes_to_the_worker_in_the_wire_syntax_and_is_read_back()
    {
        var work = new WorkList([IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")],
            new PortSelection(PortSet.Of(new PortRange(1, 10)), PortSet.Of(new PortRange(53, 53))));
        var chunk = SlicePlanner.Plan(work, 2, Schedule.Dynamic(9))[1].Work;

        var line = ProtocolCodec.Serialize(new WorkMessage(chunk.ToString()));
        ProtocolCodec.TryParse(line, out var message, out var error).ShouldBeTrue(error);
        WorkSet.TryParse(message.ShouldBeOfType<WorkMessage>().Work, out var read, out error).ShouldBeTrue(error);

        read.ShouldBe(chunk);
        read.ToString().ShouldBe(chunk.ToString());
        WorkSet.TryParse("", out var none, out _).ShouldBeTrue("no work left is the empty line");
        none.Segments.ShouldBeEmpty();
        WorkSet.TryParse("127.0.0.1", out _, out error).ShouldBeFalse();
        error.ShouldNotBeEmpty();
    }

    [TestCase("""{"type":"work","work":"127.0.0.1 1-8"}""")]
    [TestCase("""{"type":"stop"}""")]
    [TestCase("""{"type":"hostTimeout","target":"127.0.0.1"}""")]
    [TestCase("""{"type":"timing","target":"127.0.0.1","srttMs":1.25,"rttVarMs":0.5,"timeoutMs":100,"rttSamples":3,"probes":9,"retries":1,"drops":1,"tries":2}""")]
    [TestCase("""{"work":"127.0.0.1 1-8","type":"work"}""")]
    [TestCase("""{"type":"timing","target":"127.0.0.1","srttMs":1,"rttVarMs":0,"timeoutMs":100,"rttSamples":3,"probes":9,"retries":1,"drops":1,"tries":2,"extra":1}""")]
    [TestCase("""{"type":"timing","target":"127.0.0.1","srttMs":1,"rttVarMs":0,"timeoutMs":100.5,"rttSamples":3,"probes":9,"retries":1,"drops":1,"tries":2}""")]
    [TestCase("""{"type":"timing","target":"127.0.0.1","srttMs":1,"rttVarMs":0,"timeoutMs":100,"rttSamples":3,"probes":9,"retries":1,"drops":1}""")]
    [TestCase("""{"type":"work","work":"127.0.0.1 1-8"} {"type":"stop"}""")]
    [TestCase("""{"type":"work"}""")]
    [TestCase("""{"type":"work","work":7}""")]
    [TestCase("""{"type":"stop","type":"stop"}""")]
    public void A_line_to_a_worker_reads_the_same_as_the_generated_serializer_reads_it(string line)
    {
        // The hand reader of stop, work, timing and hostTimeout lines must agree with the generated serializer on every line.
        var accepted = ProtocolCodec.TryParse(line, out var message, out _);

        var generated = Generated(line);
        accepted.ShouldBe(generated is not null, line);
        message.ShouldBe(generated);
    }

    // The generated context's options, by reflection: what the protocol's reader does without the hand reader in front.
    private static readonly System.Text.Json.JsonSerializerOptions GeneratedOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        AllowOutOfOrderMetadataProperties = true,
        RespectRequiredConstructorParameters = true,
    };

    private static WorkerMessage? Generated(string line)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<WorkerMessage>(line, GeneratedOptions);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }

    [Test]
    public void A_dynamic_worker_is_told_so_on_its_command_line_and_needs_to_be_supervised()
    {
        var work = new WorkSet([new WorkSegment([IPAddress.Loopback], PortSelection.OfTcp(PortSet.Of(new PortRange(1, 8))))]);
        var arguments = new WorkerArguments(work, ProbeSettings.Fixed(100, 1), 3, Supervised: true, Dynamic: true);

        var parsed = WorkerArguments.Parse([.. arguments.ToArgumentList()]);

        parsed.Dynamic.ShouldBeTrue();
        parsed.ShouldBe(arguments);
        Should.Throw<FormatException>(() => WorkerArguments.Parse([.. arguments.ToArgumentList().Where(a => a != "--supervised")]))
            .Message.ShouldContain("--dynamic needs --supervised");
    }

    [Test]
    public async Task Plan_prints_the_dynamic_chunks_and_their_arithmetic()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("plan", "-p", "20000-20999", "-w", "4", "--schedule", "dynamic");

        exit.ShouldBe(0);
        stdout.ShouldContain("1000 ports in 32 chunks of 32 (1000 / (4 × 8), rounded up), chunk c = positions c × 32 to c × 32 + 31; 4 workers each start with one and ask for the next as they finish.");
        stdout.ShouldContain(" CHUNK  FIRST   LAST  PORTS  SLICE");
        stdout.ShouldContain("    31  20992  20999      8  20992-20999");
    }

    [TestCase("dynamic:0", "the chunk must be a whole number of ports, 1 or more")]
    [TestCase("dynamic:x", "the chunk must be a whole number of ports, 1 or more")]
    [TestCase("cyclic:4", "must be block, cyclic, dynamic or dynamic:N")]
    [TestCase("guided", "must be block, cyclic, dynamic or dynamic:N")]
    public async Task An_unknown_schedule_is_exit_2_with_one_line(string schedule, string message)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("plan", "-p", "1-10", "--schedule", schedule);

        exit.ShouldBe(2);
        stderr.ShouldContain(message);
        stderr.Trim().Split('\n').Length.ShouldBe(1, stderr);
    }

    [Test]
    public async Task Too_many_chunks_is_exit_2_with_one_line_before_anything_is_scanned()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("scan", "127.0.0.1", "127.0.0.2", "-p", "1-65535", "--schedule", "dynamic:1");

        exit.ShouldBe(2);
        stderr.ShouldContain("131,070 chunks, more than the 65,536 a scan keeps track of");
        stderr.Trim().Split('\n').Length.ShouldBe(1, stderr);
    }

    [Test]
    public async Task A_stride_is_not_nmap_port_syntax_and_is_refused_on_the_command_line()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("plan", "-p", "1-9/2");

        exit.ShouldBe(2);
        stderr.ShouldContain("'1-9/2' is not a port, a range or a T:/U: prefix");
    }

    [GeneratedRegex(@"worker 1: attempt 1 started pid (\d+)")]
    private static partial Regex SecondWorkerStarted();

    [GeneratedRegex(@"worker 1 said: \{""type"":""ports""")]
    private static partial Regex SecondWorkerReported();

    [Test]
    public async Task A_cyclic_scan_whose_worker_is_killed_mid_scan_still_reports_every_port_once_and_right()
    {
        // Filtered ports at a fixed 1 s timeout, two at a time, keep worker 1 busy for seconds: the window to kill it.
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var report = Path.Combine(TestTemp.Directory("schedule").FullName, "scan.json");
        string[] arguments = ["scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}", "--format", "json", "-o", report,
            "-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "1s", "--show-closed", "--schedule", "cyclic", "-d"];

        await using var scan = RunningProcess.Start(Binaries.Coordinator, arguments);
        var victim = int.Parse((await scan.WaitForStderrAsync(SecondWorkerStarted(), TimeSpan.FromMinutes(1))).Groups[1].Value);
        await scan.WaitForStderrAsync(SecondWorkerReported(), TimeSpan.FromMinutes(1));
        RunningProcess.Send(victim, RunningProcess.SigKill);
        var run = await scan.WaitForExitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(0, run.ToString());
        var actual = JsonReport.Parse(File.ReadAllText(report));
        actual.Complete.ShouldBeTrue();
        actual.Schedule.ShouldBe("cyclic");
        actual.Hosts[0].Ports.Select(p => p.Port).ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count), "every port once, in order");
        actual.Hosts[0].Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());
        actual.Slices[0].Work.ShouldBe($"127.0.0.1 {lab.Ports.Start}-{lab.Ports.End - ((lab.Ports.Count - 1) % 2)}/2", "worker 0 takes every other port from the first");
        var attempts = actual.Slices[1].Attempts;
        attempts.Count.ShouldBe(2);
        attempts[0].ExitCode.ShouldBe(137);
        var replacement = attempts[1].Segments.ShouldHaveSingleItem();
        PortSet.TryParse(replacement.Ports, out var left, out _).ShouldBeTrue();
        left.Ports().ShouldAllBe(port => (port - lab.Ports.Start) % 2 == 1, "the replacement scans only worker 1's own ports");
        left.Count.ShouldBeLessThan(actual.Slices[1].Segments.Sum(s => s.PortCount), "and only those left");
    }

    [GeneratedRegex(@"worker 1: chunk \d+, ")]
    private static partial Regex SecondWorkerTookAChunk();

    [Test]
    public async Task A_dynamic_scan_whose_worker_is_killed_mid_scan_still_reports_every_port_once_and_right()
    {
        // Chunks of 2 filtered ports at a fixed 1 s timeout keep worker 1 busy for a second a chunk: the window to kill it.
        await using var lab = TestLab.Start(open: 3, closed: 6, filtered: 12);
        var report = Path.Combine(TestTemp.Directory("schedule").FullName, "scan.json");
        string[] arguments = ["scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}", "--format", "json", "-o", report,
            "-w", "2", "-c", "2", "--fixed-timeout", "--timeout", "1s", "--show-closed", "--schedule", "dynamic:2", "-d"];

        await using var scan = RunningProcess.Start(Binaries.Coordinator, arguments);
        var victim = int.Parse((await scan.WaitForStderrAsync(SecondWorkerStarted(), TimeSpan.FromMinutes(1))).Groups[1].Value);
        await scan.WaitForStderrAsync(SecondWorkerTookAChunk(), TimeSpan.FromMinutes(1));
        RunningProcess.Send(victim, RunningProcess.SigKill);
        var run = await scan.WaitForExitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(0, run.ToString());
        var actual = JsonReport.Parse(File.ReadAllText(report));
        actual.Complete.ShouldBeTrue();
        actual.Schedule.ShouldBe("dynamic:2");
        actual.Workers.ShouldBe(2);
        actual.Hosts[0].Ports.Select(p => p.Port).ShouldBe(Enumerable.Range(lab.Ports.Start, lab.Ports.Count), "every port once, in order");
        actual.Hosts[0].Ports.ShouldAllBe(p => p.State == lab.ExpectedState(p.Port).ToWireName());
        actual.Slices.Count.ShouldBe((lab.Ports.Count + 1) / 2, "the slices are the chunks");
        actual.Slices.ShouldAllBe(s => s.Unscanned == 0);
        var killed = actual.Slices.SelectMany(s => s.Attempts).Where(a => a.ExitCode == 137).ShouldHaveSingleItem();
        killed.Worker.ShouldBe(1);
        var chunk = actual.Slices.Single(s => s.Attempts.Contains(killed));
        chunk.Attempts[^1].ShouldNotBe(killed, "the chunk it was killed on was scanned again");
        chunk.Attempts[^1].Worker.ShouldBe(1, "by a replacement in its lane");
        actual.Slices.SelectMany(s => s.Attempts).Select(a => a.Worker).Distinct().Order().ShouldBe([0, 1]);
    }

    [Test]
    public async Task A_stopped_dynamic_scan_names_the_chunks_never_started_in_one_line_and_counts_every_port()
    {
        // Single-port chunks at a fixed 1 s timeout: after the first chunks the queue still holds dozens.
        await using var lab = TestLab.Start(open: 1, closed: 1, filtered: 40);
        var report = Path.Combine(TestTemp.Directory("schedule").FullName, "scan.json");
        string[] arguments = ["scan", "127.0.0.1", "--start-port", $"{lab.Ports.Start}", "--end-port", $"{lab.Ports.End}", "--format", "json", "-o", report,
            "-w", "2", "-c", "1", "--fixed-timeout", "--timeout", "1s", "--schedule", "dynamic:1", "-v"];

        await using var scan = RunningProcess.Start(Binaries.Coordinator, arguments);
        await scan.WaitForStderrAsync(SecondWorkerTookAChunk(), TimeSpan.FromMinutes(1));
        scan.Signal(RunningProcess.SigInt);
        var run = await scan.WaitForExitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(130, run.ToString());
        var actual = JsonReport.Parse(File.ReadAllText(report));
        var counts = actual.Hosts[0].Counts;
        (counts.Open + counts.Closed + counts.Filtered + counts.Unscanned).ShouldBe(lab.Ports.Count);
        var queued = actual.Slices.Where(s => s.Attempts.Count == 0).ToList();
        queued.Count.ShouldBeGreaterThan(10, "most chunks were still queued");
        var line = run.Stderr.Split('\n').Where(l => l.Contains("never started", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldContain($"portscan: {queued.Count} chunks with {queued.Sum(s => s.Unscanned)} ports (127.0.0.1 ");
        line.ShouldEndWith("never started: the scan was stopped before they were scanned");
    }
}
