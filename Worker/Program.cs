using System.Diagnostics;
using System.Runtime.InteropServices;
using PortScan.Shared.Platform;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Work;
using PortScan.Worker;
using PortScan.Worker.Discovery;
using PortScan.Worker.ServiceDetection;
using PortScan.Worker.Timing;

// portscan-worker: scans one slice (hosts and ports; with --dynamic, chunk after chunk) and speaks the JSON-lines protocol on stdout (docs/protocol.md).
// Exit codes: 0 ports scanned, 1 scan failed (an error message was sent), 2 bad arguments,
// 128 + signal when stopped by SIGINT or SIGTERM, 143 by the coordinator's stop line (an error message was sent), 129 when a
// supervised worker's coordinator went away. With -sV (--version-intensity, --version-db) the
// open ports found are then probed for their service and version, each finding a service message.
// A spare (see SpareArguments) is started before its slice exists: its arguments come as its first stdin line.
StreamReader? stdin = null;
var given = args;
if (args is [SpareArguments.Flag])
{
    // Out of the terminal's group at once: a Ctrl-C while the coordinator still parses is the coordinator's alone.
    CoordinatorLifeline.LeaveTerminalGroup();
    stdin = new StreamReader(Console.OpenStandardInput());
    WarmUp();
    var line = stdin.ReadLine();
    if (line is null)
    {
        // The coordinator needed no worker after all (bad input, another launcher) and closed the pipe.
        return CoordinatorLifeline.ExitCode;
    }
    if (!SpareArguments.TryRead(line, out given))
    {
        Console.Error.WriteLine("portscan-worker: a spare's first line on stdin must be its arguments (docs/protocol.md)");
        return 2;
    }
}
WorkerArguments arguments;
try
{
    arguments = WorkerArguments.Parse(given);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"portscan-worker: {e.Message}");
    return 2;
}

var stopwatch = Stopwatch.StartNew();
// On SIGTERM, SIGINT or the coordinator's stop line, stop starting connects and report what is
// finished: the coordinator then knows exactly which ports are left. Not disposed: the stdin
// thread may still cancel it while the process exits.
var cancellation = new CancellationTokenSource();
const string SigTerm = "signal 15", SigInt = "signal 2", StopLine = "a stop line from the coordinator";
string? stoppedBy = null;
void Stop(string by)
{
    Interlocked.CompareExchange(ref stoppedBy, by, null);
    cancellation.Cancel();
}
var hints = new TimingHints();
var chunks = new ChunkQueue();
if (arguments.Supervised)
{
    CoordinatorLifeline.Hold(stdin ?? new StreamReader(Console.OpenStandardInput()), hints, () => Stop(StopLine), chunks);
}
// Every connect in flight holds a descriptor: take all the kernel allows, and size concurrency to it.
var descriptors = FileDescriptorLimit.RaiseSoftToHard();
var probes = arguments.Probes with { Concurrency = Math.Min(arguments.Probes.Concurrency, Math.Max(1, descriptors - FileDescriptorLimit.Reserve)) };
if (probes.Concurrency < arguments.Probes.Concurrency)
{
    Console.Error.WriteLine($"portscan-worker {arguments.WorkerId}: open-file limit {descriptors} allows {probes.Concurrency} probes in flight, not {arguments.Probes.Concurrency}");
}

using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
// The engine at work gives the heartbeats' estimate of the time left; a worker with UDP ports to come cannot tell (see docs/design.md, "Progress").
Func<TimeSpan?> estimate = () => null;
var writer = new ResultWriter(stdout, () => estimate());
// Where it runs: through ssh or srun only the worker itself can say (a Slurm step's node, job and step come in its environment).
writer.Send(new HelloMessage(ProtocolCodec.Version, arguments.WorkerId, Environment.ProcessId, arguments.Work.ToString(), probes,
    Environment.MachineName, Environment.GetEnvironmentVariable("SLURMD_NODENAME"),
    Environment.GetEnvironmentVariable("SLURM_JOB_ID"), Environment.GetEnvironmentVariable("SLURM_STEP_ID")));

void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    Stop(context.Signal == PosixSignal.SIGTERM ? SigTerm : SigInt);
}
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
// One timing a host, shared by both engines, and by every chunk of a dynamic worker: what it learnt of a host holds for its next ports.
var hosts = new HostTimings(probes, arguments.Dynamic);
// TCP first, then UDP, as nmap lists them; one pacer for both, so --max-rate holds across them.
var pacer = new AttemptPacer(probes.MaxRate);
var work = arguments.Work;
try
{
    while (true)
    {
        writer.StartCounting();
        var udpToCome = work.Segments.Any(s => !s.Ports.Udp.IsEmpty);
        // With -sV the open ports are noted as they are reported, for version detection after the scan.
        var openPorts = arguments.Version is null ? null : new OpenPortLog(writer);
        IPortResultSink sink = openPorts ?? (IPortResultSink)writer;
        // --discover: echo requests first, and the TCP probes' answers noted on their way (Worker/Discovery).
        var discovery = arguments.Discover ? new DiscoveryProbes(sink) : null;
        discovery?.StartPings(work, hosts, pacer, arguments.WorkerId, cancellation.Token);
        sink = discovery ?? sink;
        using (var tcp = new ConnectScanner(probes, pacer, hosts, hints))
        {
            estimate = () => !udpToCome && openPorts is null && tcp.Estimate() is { } left ? TimeSpan.FromSeconds(left.Seconds()) : null;
            tcp.Scan(hosts.Plan(work, Transport.Tcp), sink, cancellation.Token);
        }
        estimate = () => null;
        if (!cancellation.IsCancellationRequested && udpToCome)
        {
            using var udp = new UdpScanner(probes, pacer);
            udp.Scan(hosts.Plan(work, Transport.Udp), sink, cancellation.Token);
        }
        if (arguments.Version is { } version && openPorts is { Ports.Count: > 0 })
        {
            // Loaded only by a worker with ports to probe; its patterns compile as they are first used.
            // Stopped before it starts, it still reports the UDP ports it held back (VersionScanner).
            var database = ProbeDatabase.Load(version.Database ?? ProbeDatabase.DefaultPath);
            writer.Flush();
            await new VersionScanner(database, version.Intensity, probes.Concurrency, hosts).ScanAsync(openPorts.Ports, writer, cancellation.Token);
        }
        if (!cancellation.IsCancellationRequested)
        {
            await (discovery?.SendHostsAsync(work) ?? Task.CompletedTask);
        }
        SendTimings();
        if (cancellation.IsCancellationRequested)
        {
            writer.Send(new ErrorMessage($"stopped by {stoppedBy} before all its ports were scanned"));
            // The stop line exits as SIGTERM does: through ssh and srun the exit code comes back either way.
            return stoppedBy == SigInt ? 130 : 143;
        }
        var counts = writer.Counts;
        writer.Send(new DoneMessage(counts.Open, counts.Closed, counts.Filtered, counts.OpenFiltered, Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1)));
        if (!arguments.Dynamic)
        {
            return 0;
        }
        // A dynamic worker's done asks for more: the coordinator answers with the next chunk, or none.
        var next = chunks.Take();
        if (next.Length == 0)
        {
            return 0;
        }
        if (!WorkSet.TryParse(next, out work, out var error))
        {
            throw new ScanFailedException($"the coordinator sent a chunk that is not work ('{next}'): {error}");
        }
        stopwatch.Restart();
    }
}
catch (Exception e) when (e is ScanFailedException or ProbeFileException)
{
    SendTimings();
    writer.Send(new ErrorMessage(e.Message));
    Console.Error.WriteLine($"portscan-worker {arguments.WorkerId}: {e.Message}");
    return 1;
}

// A spare waits for the coordinator to parse its command line: meanwhile it runs, writing to nowhere, the code every
// worker runs before its first probe (argument parsing, the result writer), so that it is compiled before the slice comes.
static void WarmUp()
{
    var sample = WorkerArguments.Parse(["--target", "127.0.0.1", "--ports", "1-2", "--timeout-ms", "1000", "--concurrency", "1", "--supervised"]);
    var writer = new ResultWriter(Stream.Null, () => null);
    writer.Send(new HelloMessage(ProtocolCodec.Version, 0, 0, sample.Work.ToString(), sample.Probes, Environment.MachineName, null, null, null));
    var target = new ScanTarget(sample.Work.Segments[0].Hosts[0]);
    writer.Report(target, Transport.Tcp, 1, PortState.Open, 0.5);
    writer.Report(target, Transport.Tcp, 2, PortState.Closed, 0.5);
    writer.Flush();
    writer.Send(new HostTiming(target, sample.Probes).Describe());
    writer.Send(new DoneMessage(1, 1, 0, 0, 1));
}

// What the network did, a host at a time, after every result: the reports print it beside them.
void SendTimings()
{
    writer.Flush();
    foreach (var host in hosts.All)
    {
        writer.Send(host.Describe());
    }
}

