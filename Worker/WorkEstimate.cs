namespace PortScan.Worker;

/// <summary>
/// What an engine still has to do and what each part of it costs, as it stands now: the figures
/// behind the worker's estimate of its remaining time (the heartbeat's <c>remainingMs</c>). Times
/// are seconds.
/// <para>
/// The average pace so far is no guide: a slice's closed ports settle in microseconds and its
/// filtered ones each wait out a timeout, more than once, so a scan that has done its cheap ports
/// first is far from done. Here every port still to do costs what ports like the recent ones cost:
/// an answer's round trip, or a timeout for each of the tries a silent port gets.
/// </para>
/// </summary>
/// <param name="Unstarted">Ports not tried yet.</param>
/// <param name="Queued">Tries owed now: retries of silent ports, and probes to send again.</param>
/// <param name="InFlight">Probes out, waiting for an answer or their timeout.</param>
/// <param name="LastDeadline">Until the newest probe out times out.</param>
/// <param name="SilentShare">The share of recent first tries that went unanswered, 0 to 1.</param>
/// <param name="Tries">Tries a silent port gets, the first included.</param>
/// <param name="Timeout">What a probe waits now.</param>
/// <param name="AnswerTime">What an answered probe takes: the host's round trip.</param>
/// <param name="Concurrency">Probes out at most.</param>
/// <param name="Rate">Probes a second at most (the --max-rate share, or the host's pace); 0 for no limit.</param>
/// <param name="CostPerProbe">The engine's own work a probe (its busy time over the probes it sent).</param>
/// <param name="Hold">What the host's end will wait for other workers' evidence (<see cref="ConnectScanner"/>).</param>
internal readonly record struct WorkEstimate(
    long Unstarted,
    long Queued,
    long InFlight,
    double LastDeadline,
    double SilentShare,
    int Tries,
    double Timeout,
    double AnswerTime,
    int Concurrency,
    double Rate,
    double CostPerProbe,
    double Hold)
{
    /// <summary>Seconds until the work is done: the longest of what the rate, the concurrency and the engine's own work allow, then the last silent port's tries.</summary>
    public double Seconds()
    {
        var silent = Math.Clamp(SilentShare, 0, 1);
        var retries = Math.Max(0, Tries - 1);
        // A silent port costs every try, each holding a slot for a timeout; one in flight owes its retries.
        var probes = (Unstarted * (1 + (silent * retries))) + Queued + (InFlight * silent * retries);
        var slotTime = (Unstarted * (((1 - silent) * AnswerTime) + (silent * Tries * Timeout)))
            + (Queued * Timeout) + (InFlight * silent * retries * Timeout);
        var sending = Math.Max(Rate > 0 ? probes / Rate : 0, Math.Max(slotTime / Math.Max(1, Concurrency), probes * CostPerProbe));
        // The last port to go out waits for its answer, or its timeout and its retries after it: what
        // the share of its slot time in the sending above leaves out.
        var lastSlot = ((1 - silent) * AnswerTime) + (silent * Tries * Timeout);
        var last = Unstarted + Queued > 0
            ? lastSlot * (1 - (1.0 / Math.Max(1, Concurrency)))
            : (InFlight > 0 ? Math.Max(0, LastDeadline) : 0) + (silent * retries * Timeout);
        return sending + last + Hold;
    }
}
