using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PortScan.Coordinator.Launching;
using PortScan.Shared.Ports;
using PortScan.Shared.Protocol;
using PortScan.Shared.Slicing;

namespace PortScan.Coordinator.Scanning;

/// <summary>
/// Runs a scan: plans the slices, starts one worker a slice through its launcher, reads all their
/// results as they arrive, replaces workers that die, hang or break the protocol, stops them all on
/// request, waits for every one to exit and returns the aggregated result. docs/reliability.md tells
/// the failure model this loop implements; where the workers run is the launcher's business.
/// </summary>
public sealed class ScanCoordinator(IWorkerLauncher launcher, ILogger logger)
{
    /// <summary>How long workers asked to stop may take to report what they finished before they are killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    // The scan under way (one at a time), for passing one worker's timing of a host on to the others.
    private SliceTracker[] _slices = [];
    private readonly List<WorkerRun> _runs = [];
    // Hosts (by index) whose first round-trip time was passed on: a bit a host, not a set entry.
    private BitArray _hinted = new(0);
    private readonly HashSet<int> _timedOut = [];
    private ProgressCounts _counts = null!;

    public async Task<ScanResult> RunAsync(ScanRequest request, IScanObserver observer, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.Now;
        var stopwatch = Stopwatch.StartNew();
        var slices = SlicePlanner.Plan(request.Work, request.Workers, request.Schedule).Select(s => new SliceTracker(s, request.Work)).ToArray();
        var dynamic = request.Schedule.Kind == ScheduleKind.Dynamic;
        _slices = slices;
        _runs.Clear();
        _hinted = new BitArray(request.Targets.Count);
        _timedOut.Clear();
        _counts = new ProgressCounts(request);
        request.Resumed?.Restore(request, slices, _counts);

        // Many writers (launchers, the clock, the stop request), one reader: this loop. No locks around the trackers.
        var events = Channel.CreateUnbounded<ScanEvent>(new UnboundedChannelOptions { SingleReader = true });
        var watchdog = new WorkerWatchdog(request.Processes, request.Probes.Concurrency, launcher.Cpus, launcher.StartupAllowance);
        var launches = new List<Task>();
        var running = 0;
        // A slice a resumed journal finished needs no worker.
        var unfinished = slices.Where(s => s.Pending > 0).ToList();
        // The dynamic schedule's chunks in the order they are handed out; a worker takes the next one after each done.
        var queued = new Queue<SliceTracker>(dynamic ? unfinished.Skip(request.Processes) : []);

        void Launch(SliceTracker slice, int worker)
        {
            var attempt = slice.NewAttempt(worker);
            _runs.Add(attempt.Run);
            var arguments = new WorkerArguments(attempt.Work, request.WorkerProbes, worker, Supervised: true, request.Version, dynamic, request.Discover);
            running++;
            launches.Add(launcher.RunAsync(attempt, [.. arguments.ToArgumentList()], events.Writer));
        }

        // The next queued chunk with work left (a host timeout may have taken all of one's); null when none is.
        SliceTracker? NextChunk()
        {
            while (queued.TryDequeue(out var chunk))
            {
                if (chunk.Pending > 0)
                {
                    return chunk;
                }
            }
            return null;
        }

        // Workers first: their start-up is the longest wait of a short scan, and everything else here can overlap it.
        // Under the dynamic schedule the first chunks go to workers 0, 1, …; a slice is its own worker's.
        var lane = 0;
        foreach (var slice in dynamic ? unfinished.Take(request.Processes) : unfinished)
        {
            Launch(slice, dynamic ? lane++ : slice.Slice.Worker);
        }
        // While the workers start, instead of after their first line arrives.
        var warmUp = Task.Run(ProtocolCodec.WarmUp, CancellationToken.None);

        using var clockTimer = new PeriodicTimer(TickInterval);
        var clock = TickAsync(clockTimer, events.Writer);
        var stopping = false;
        long killAt = 0;
        await using (cancellationToken.Register(() => events.Writer.TryWrite(new StopRequested())).ConfigureAwait(false))
        {
            await foreach (var scanEvent in events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                switch (scanEvent)
                {
                    case WorkerStarted { Run.Current: var attempt }:
                        logger.LogInformation("worker {Worker}: attempt {Attempt} started pid {Pid}{Launch} for {Work}",
                            attempt.WorkerId, attempt.Number, attempt.Pid, attempt.Launch?.Described, attempt.Work);
                        observer.WorkerStarted(attempt);
                        if (stopping)
                        {
                            attempt.Stop();
                        }
                        break;
                    case WorkerMessageReceived { Run.Current: var attempt, Message: var message } when !attempt.Untrusted:
                        Apply(request, attempt, message, observer);
                        if (dynamic && message is DoneMessage && !attempt.Untrusted)
                        {
                            HandOn(attempt, stopping ? null : NextChunk(), observer);
                        }
                        break;
                    case WorkerBadLine { Run.Current: var attempt } bad when !attempt.Untrusted:
                        Distrust(attempt, $"it wrote a line that is not a protocol message ({bad.Error}): {Truncate(bad.Line)}");
                        break;
                    case WorkerExited { Run.Current: var attempt } exited:
                        running--;
                        attempt.Ended();
                        Finish(attempt, exited.StartError, stopping);
                        observer.WorkerExited(attempt);
                        var slice = attempt.Slice;
                        if (stopping)
                        {
                            break;
                        }
                        if (slice.Pending > 0 && slice.Attempts.Count <= request.MaxWorkerRestarts)
                        {
                            logger.LogWarning("worker {Worker}: starting a replacement for the {Count} unscanned host-ports ({Work}), restart {Restart} of {MaxWorkerRestarts}",
                                attempt.WorkerId, slice.Pending, slice.PendingWork(), slice.Attempts.Count, request.MaxWorkerRestarts);
                            Launch(slice, attempt.WorkerId);
                        }
                        else if (dynamic && NextChunk() is { } next)
                        {
                            // Its chunk is out of restarts: the lane goes on with the queue, as a worker that asked would.
                            Launch(next, attempt.WorkerId);
                        }
                        break;
                    case WatchdogTick:
                        observer.Progressed(_counts.Snapshot(stopwatch.Elapsed, Eta(slices, queued, stopwatch.Elapsed, request)));
                        foreach (var attempt in Running().Where(a => !a.Untrusted && watchdog.IsHung(a)).ToList())
                        {
                            Distrust(attempt, $"it was silent for more than {(attempt.Greeted ? watchdog.SilenceLimit : watchdog.StartupLimit).TotalSeconds:0.#} s and was killed by the watchdog");
                        }
                        if (stopping && Stopwatch.GetTimestamp() >= killAt)
                        {
                            foreach (var attempt in Running())
                            {
                                attempt.Fail("it did not stop within the grace period after the stop request and was killed");
                                attempt.Kill();
                            }
                        }
                        break;
                    case StopRequested when !stopping:
                        stopping = true;
                        killAt = Stopwatch.GetTimestamp() + (long)(StopGrace.TotalSeconds * Stopwatch.Frequency);
                        logger.LogInformation("stop requested: asking {Running} workers to report what they finished", running);
                        foreach (var attempt in Running())
                        {
                            attempt.Stop();
                        }
                        break;
                }
                if (running == 0)
                {
                    break;
                }
            }
        }
        clockTimer.Dispose();
        await clock.ConfigureAwait(false);
        await Task.WhenAll(launches).ConfigureAwait(false);
        await warmUp.ConfigureAwait(false);
        return new ScanResult(request, startedAt, stopwatch.Elapsed, stopping, slices);
    }

    /// <summary>
    /// The dynamic schedule's answer to a done: the worker's next chunk, as a new attempt in the same
    /// process, or the empty work that ends it. A chunk lost in the pipe (the worker died meanwhile)
    /// is an attempt that reported nothing, and is replaced like any other.
    /// </summary>
    private void HandOn(WorkerAttempt finished, SliceTracker? next, IScanObserver observer)
    {
        if (next is null)
        {
            finished.Tell(new WorkMessage(""));
            return;
        }
        var attempt = next.NewAttempt(finished.WorkerId, finished.Run);
        finished.HandOn(attempt);
        logger.LogInformation("worker {Worker}: chunk {Chunk}, {Work}", attempt.WorkerId, next.Slice.Worker, attempt.Work);
        observer.WorkerStarted(attempt);
        attempt.Tell(new WorkMessage(attempt.Work.ToString()));
    }

    /// <summary>
    /// Ticks until <paramref name="timer"/> is disposed. Stopped by disposal, not by a cancellation
    /// token: PeriodicTimer records a cancelled wait's stack trace with file and line, which loaded
    /// System.Reflection.Metadata and read portscan.pdb at the end of every scan.
    /// </summary>
    private static async Task TickAsync(PeriodicTimer timer, ChannelWriter<ScanEvent> events)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            events.TryWrite(new WatchdogTick());
        }
    }

    private void Apply(ScanRequest request, WorkerAttempt attempt, WorkerMessage message, IScanObserver observer)
    {
        if (attempt.Done)
        {
            Distrust(attempt, "it wrote after its done message");
            return;
        }
        if (!attempt.Greeted && message is not HelloMessage)
        {
            Distrust(attempt, $"it sent a {message.GetType().Name} before its hello");
            return;
        }
        switch (message)
        {
            case HelloMessage hello:
                if (attempt.Greeted)
                {
                    Distrust(attempt, "it said hello twice");
                }
                else if (hello.Protocol != ProtocolCodec.Version)
                {
                    Distrust(attempt, $"it speaks protocol {hello.Protocol}, not {ProtocolCodec.Version}");
                }
                else if (hello.Worker != attempt.WorkerId || hello.Work != attempt.Work.ToString())
                {
                    Distrust(attempt, $"its hello names worker {hello.Worker} and work '{hello.Work}', not worker {attempt.WorkerId} and '{attempt.Work}'");
                }
                else if (!UsesWhatItWasGiven(hello.Probes, request.WorkerProbes))
                {
                    Distrust(attempt, $"its hello says it probes with {hello.Probes}, not with what it was given, {request.WorkerProbes} (only its concurrency may be lower)");
                }
                else
                {
                    attempt.Hello = hello;
                    logger.LogInformation("worker {Worker}: attempt {Attempt} runs on {Where}",
                        attempt.WorkerId, attempt.Number, WhereItRuns(hello));
                }
                attempt.Greeted = true;
                break;
            case PortsMessage ports:
                var host = HostOf(request, attempt, ports.Target);
                if (host < 0)
                {
                    return;
                }
                if (attempt.GaveUp(host))
                {
                    Distrust(attempt, $"it reported ports of {ports.Target} after giving the host up");
                    return;
                }
                if (!TransportNames.TryParse(ports.Transport, out var transport))
                {
                    Distrust(attempt, $"it reported ports of transport '{ports.Transport}', not tcp or udp");
                    return;
                }
                if (ports.Open.FirstOrDefault(o => o.Banner is { } banner && (transport != Transport.Tcp || !Banner.IsWellFormed(banner))) is { } bad)
                {
                    Distrust(attempt, $"it sent a banner for port {bad.Port}/{ports.Transport} that is not escaped printable text of at most {Banner.MaxLength} characters");
                    return;
                }
                if (!TryReadReasons(ports, out var reasons, out var unreasonable))
                {
                    Distrust(attempt, unreasonable);
                    return;
                }
                // Plain loops: a scan's first message arrives while it is still starting, and every
                // LINQ operator over a new struct type is JIT-compiled on the spot (measured: ~15 ms).
                foreach (var open in ports.Open)
                {
                    if (!Record(new PortResult(transport, open.Port, PortState.Open, open.RttMs, open.Banner)))
                    {
                        return;
                    }
                }
                foreach (var (state, list) in new[] { (PortState.Closed, ports.Closed), (PortState.Filtered, ports.Filtered), (PortState.OpenFiltered, ports.OpenFiltered) })
                {
                    foreach (var port in list)
                    {
                        if (!Record(new PortResult(transport, port, state, reason: reasons?.GetValueOrDefault(port))))
                        {
                            return;
                        }
                    }
                }
                break;

                bool Record(PortResult result)
                {
                    if (!attempt.Slice.TryRecord(attempt, host, result, out var problem))
                    {
                        // Results already recorded passed every check; this one and all that follow are refused.
                        Distrust(attempt, problem);
                        return false;
                    }
                    _counts.Recorded(host, result);
                    observer.PortFinished(attempt.Slice, request.Targets[host], result);
                    return true;
                }
            case HeartbeatMessage heartbeat:
                if (heartbeat.RemainingMs < 0)
                {
                    Distrust(attempt, $"it estimated {heartbeat.RemainingMs} ms left, and no time left is negative");
                    return;
                }
                attempt.Estimated(heartbeat.RemainingMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
                logger.LogDebug("worker {Worker}: heartbeat, {Finished} ports finished, {Remaining} ms left", attempt.WorkerId, heartbeat.Finished, heartbeat.RemainingMs);
                break;
            case RateMessage rate:
                ApplyRate(request, attempt, rate);
                break;
            case TimingMessage timing:
                ApplyTiming(request, attempt, timing);
                break;
            case HostTimeoutMessage timedOut:
                ApplyHostTimeout(request, attempt, timedOut);
                break;
            case ServiceMessage service:
                ApplyService(request, attempt, service, observer);
                break;
            case HostMessage found:
                HostDiscovery.Apply(request, found, HostOf(request, attempt, found.Target), observer, problem => Distrust(attempt, problem));
                break;
            case DoneMessage:
                var unreported = attempt.Slice.CountUnscanned(attempt);
                var unprobed = request.Version is null ? 0 : attempt.Slice.CountUnprobed(attempt);
                if (unreported > 0)
                {
                    Distrust(attempt, $"it said done with {unreported} of its ports unreported");
                }
                else if (unprobed > 0)
                {
                    Distrust(attempt, $"it said done with the service of {unprobed} of its open ports unreported");
                }
                attempt.Done = true;
                break;
            case ErrorMessage error:
                // Logged with the exit that follows.
                attempt.Fail(error.Message);
                break;
        }
    }

    /// <summary>The scan's ETA: its slices, and under the dynamic schedule the chunks still queued.</summary>
    private static TimeSpan? Eta(SliceTracker[] slices, IReadOnlyCollection<SliceTracker> queued, TimeSpan elapsed, ScanRequest request)
    {
        var started = slices.Where(s => s.Current is not null).Select(s => Progress(s, elapsed, request.MaxWorkerRestarts)).ToList();
        return ScanEta.Of(started, queued.Sum(s => s.Pending), request.Processes, elapsed);
    }

    /// <summary>A slice as the ETA sees it; a slice whose worker failed counts as running while a replacement may come.</summary>
    private static SliceProgress Progress(SliceTracker slice, TimeSpan elapsed, int maxWorkerRestarts)
    {
        var current = slice.Current!;
        var running = !current.Exited || (slice.Unscanned > 0 && slice.Attempts.Count <= maxWorkerRestarts);
        var estimate = current.Estimate;
        return new SliceProgress(running, slice.Unscanned, slice.Finished, elapsed, estimate?.Remaining,
            estimate is { At: var at } ? Stopwatch.GetElapsedTime(at) : TimeSpan.Zero);
    }

    /// <summary>
    /// The rejected ports of a ports message by port (null when it names none). Only a filtered port
    /// of the same message can have been rejected, once, for a reason nmap has a word for.
    /// </summary>
    private static bool TryReadReasons(PortsMessage ports, out Dictionary<int, PortReason?>? reasons, out string problem)
    {
        reasons = null;
        problem = "";
        if (ports.Reasons is not { Count: > 0 } named)
        {
            return true;
        }
        var filtered = ports.Filtered.ToHashSet();
        reasons = [];
        foreach (var (name, list) in named)
        {
            if (!PortReasons.TryParse(name, out var reason) || !reason.IsRejection())
            {
                problem = $"it gave '{name}' as the reason ports were filtered, which is not a rejection nmap names";
                return false;
            }
            foreach (var port in list)
            {
                if (!filtered.Contains(port) || !reasons.TryAdd(port, reason))
                {
                    problem = $"it gave a reason ({name}) for port {port}/{ports.Transport}, which is not a filtered port of the same message or has one already";
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>A worker may use fewer probes in flight than asked (its open-file limit decides), and must use everything else as given.</summary>
    private static bool UsesWhatItWasGiven(ProbeSettings used, ProbeSettings given) =>
        used.Concurrency >= 1 && used.Concurrency <= given.Concurrency && used with { Concurrency = given.Concurrency } == given;

    /// <summary>The index of a host a worker names; -1, and the worker distrusted, when it is not a host of this scan.</summary>
    private int HostOf(ScanRequest request, WorkerAttempt attempt, string target)
    {
        var host = IPAddress.TryParse(target, out var address) ? request.Work.HostIndex(address) : -1;
        if (host < 0)
        {
            Distrust(attempt, $"it reported on '{target}', which is not a host of this scan");
        }
        return host;
    }

    /// <summary>-sV: a port's service, checked like a port's state before it is recorded.</summary>
    private void ApplyService(ScanRequest request, WorkerAttempt attempt, ServiceMessage message, IScanObserver observer)
    {
        var host = HostOf(request, attempt, message.Target);
        if (host < 0)
        {
            return;
        }
        if (request.Version is null)
        {
            Distrust(attempt, $"it sent the service of {message.Target} port {message.Port}, but the scan has no -sV");
            return;
        }
        if (!TransportNames.TryParse(message.Transport, out var transport))
        {
            Distrust(attempt, $"it sent a service of transport '{message.Transport}', not tcp or udp");
            return;
        }
        if (message.Service.Problem() is { } problem || !attempt.Slice.TryRecordService(attempt, host, transport, message.Port, message.Service, out problem))
        {
            Distrust(attempt, problem.StartsWith("it ", StringComparison.Ordinal) ? problem : $"it sent the service of {message.Target} port {message.Port}/{message.Transport} with {problem}");
            return;
        }
        var position = request.Work.PositionOf(host, transport, message.Port);
        var slice = attempt.Slice;
        observer.ServiceFound(slice, request.Targets[host],
            new PortResult(transport, message.Port, PortState.Open, slice.RttAt(position), slice.BannerAt(position), service: message.Service));
    }

    /// <summary>A worker changed its pace to a host: news for -v, as nmap's "Increasing send delay for …" is.</summary>
    private void ApplyRate(ScanRequest request, WorkerAttempt attempt, RateMessage rate)
    {
        if (HostOf(request, attempt, rate.Target) < 0)
        {
            return;
        }
        if (!double.IsFinite(rate.Rate) || rate.Rate < 0)
        {
            Distrust(attempt, $"it sent a rate of {rate.Rate} for {rate.Target}, not a number of probes a second");
            return;
        }
        logger.LogInformation("worker {Worker}: {Target}: {Pace}: {Reason}", attempt.WorkerId, rate.Target,
            rate.Rate > 0 ? $"at most {rate.Rate:#,0.###} probes a second from now on" : "no limit of its own from now on", rate.Reason);
    }

    /// <summary>What the network did to a host as a worker saw it; a later message of the same attempt replaces an earlier one.</summary>
    private void ApplyTiming(ScanRequest request, WorkerAttempt attempt, TimingMessage timing)
    {
        var host = HostOf(request, attempt, timing.Target);
        if (host < 0)
        {
            return;
        }
        if (!double.IsFinite(timing.SrttMs) || !double.IsFinite(timing.RttVarMs) || timing.SrttMs < 0 || timing.RttVarMs < 0
            || timing.TimeoutMs < 0 || timing.RttSamples < 0 || timing.Probes < 0 || timing.Retries < 0 || timing.Drops < 0 || timing.Tries < 0)
        {
            Distrust(attempt, $"it sent timing figures for {timing.Target} that no network can produce: {timing}");
            return;
        }
        attempt.Run.RecordTiming(host, timing);
        // Pass it on to the other workers: the host's first round-trip time (a slice of filtered
        // ports has nothing to time the host by, and would wait the initial timeout for every
        // probe), and its losses (a slice with few answering ports cannot see them), each as what
        // all the other workers have seen together.
        if ((timing.RttSamples > 0 && FirstTimed(host)) || timing.Drops > 0)
        {
            // Only the workers scanning this host now: in a sweep most workers never see it.
            foreach (var other in Running().Where(a => a.Run != attempt.Run && a.Slice.CoversHost(host)).ToList())
            {
                if (Pooled(host, _runs.Where(r => r != other.Run)) is { } pooled && pooled.ToMessage(timing.Target) is var hint)
                {
                    logger.LogDebug("worker {Worker}: told what the other workers saw of {Target}: srtt {Srtt:0.###} ms, {Drops} drops in {Probes} probes",
                        other.WorkerId, timing.Target, hint.SrttMs, hint.Drops, hint.Probes);
                    if (logger.IsEnabled(LogLevel.Trace))
                    {
                        logger.LogTrace("worker {Worker} told: {Line}", other.WorkerId, ProtocolCodec.Serialize(hint));
                    }
                    other.Tell(hint);
                }
            }
        }
    }

    /// <summary>True the first time a host's round-trip time comes: only then is it news for the other workers.</summary>
    private bool FirstTimed(int host)
    {
        if (_hinted[host])
        {
            return false;
        }
        _hinted[host] = true;
        return true;
    }

    /// <summary>
    /// A worker gave a host up (--host-timeout): its ports there not reported are unscanned, as
    /// asked. The first time for a host, the other workers that scan it are told to give it up too,
    /// so the host's time runs from the first worker's first probe; no replacement scans it again.
    /// </summary>
    private void ApplyHostTimeout(ScanRequest request, WorkerAttempt attempt, HostTimeoutMessage timedOut)
    {
        var host = HostOf(request, attempt, timedOut.Target);
        if (host < 0)
        {
            return;
        }
        if (request.Probes.HostTimeoutMs == 0)
        {
            Distrust(attempt, $"it gave up {timedOut.Target}, but the scan has no --host-timeout");
            return;
        }
        if (!attempt.Slice.CoversHost(host) || !attempt.GiveUp(host))
        {
            Distrust(attempt, $"it gave up {timedOut.Target}, a host it was not given or had given up already");
            return;
        }
        if (!_timedOut.Add(host))
        {
            return;
        }
        logger.LogInformation("{Target}: host timeout after {Timeout}: ports not decided by then are left unscanned",
            timedOut.Target, Cli.Durations.Format(request.Probes.HostTimeoutMs));
        foreach (var slice in _slices.Where(s => s.CoversHost(host)))
        {
            slice.HostTimedOut(host);
        }
        foreach (var other in Running().Where(a => a.Run != attempt.Run && a.Slice.CoversHost(host)))
        {
            other.Tell(timedOut);
        }
    }

    /// <summary>The attempts of the worker processes still running: the only ones that can be told anything or killed.</summary>
    private IEnumerable<WorkerAttempt> Running() => _runs.Where(r => !r.Exited).Select(r => r.Current);

    /// <summary>The latest timing of each given worker process for a host, as one; null when none has any.</summary>
    private static TimingFigures? Pooled(int host, IEnumerable<WorkerRun> runs)
    {
        var timings = new List<TimingFigures>();
        foreach (var run in runs)
        {
            if (run.Timings.TryGetValue(host, out var timing))
            {
                timings.Add(timing);
            }
        }
        return timings.Count == 0 ? null : HostNetwork.Pool(timings);
    }

    /// <summary>
    /// A worker that breaks the protocol, or stops talking, cannot be trusted with the rest of its
    /// ports: it is killed, nothing more it says is counted, and a replacement takes over.
    /// </summary>
    private void Distrust(WorkerAttempt attempt, string reason)
    {
        logger.LogWarning("worker {Worker} (attempt {Attempt}, pid {Pid}) is not trusted and is stopped: {Reason}",
            attempt.WorkerId, attempt.Number, attempt.Pid, reason);
        attempt.Distrust(reason);
        attempt.Kill();
    }

    private void Finish(WorkerAttempt attempt, string? startError, bool stopping)
    {
        var slice = attempt.Slice;
        if (startError is not null)
        {
            attempt.Fail(startError);
            logger.LogWarning("worker {Worker}: attempt {Attempt} did not start: {Reason}", attempt.WorkerId, attempt.Number, startError);
            return;
        }
        if (slice.CountUnscanned(attempt) > 0)
        {
            attempt.Fail(attempt.ExitCode switch
            {
                > 128 and < 160 => $"the worker was killed by signal {attempt.ExitCode - 128} (exit code {attempt.ExitCode}) before reporting them",
                0 => "the worker exited without reporting them",
                _ => $"the worker exited with code {attempt.ExitCode} before reporting them",
            });
        }
        // A failure is news unless the user asked for the stop that caused it.
        var level = attempt.Failure is null || stopping ? LogLevel.Information : LogLevel.Warning;
        logger.Log(level, "worker {Worker}: attempt {Attempt}, pid {Pid}, exited with code {Code} after {Ms:F0} ms{Failure}",
            attempt.WorkerId, attempt.Number, attempt.Pid, attempt.ExitCode, attempt.Elapsed.TotalMilliseconds,
            attempt.Failure is null ? "" : $": {attempt.Failure}");
    }

    /// <summary>"node2, pid 4567, Slurm node node2, job 12, step 0", from what a worker says of itself.</summary>
    private static string WhereItRuns(HelloMessage hello)
    {
        var where = $"{hello.Hostname ?? "a host it did not name"}, pid {hello.Pid}";
        return hello.Node is null && hello.JobId is null ? where
            : $"{where}, Slurm node {hello.Node ?? "?"}, job {hello.JobId ?? "?"}, step {hello.StepId ?? "?"}";
    }

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "…";
}
