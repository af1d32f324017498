using System.CommandLine;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Words that look like options but that no command took. The parser hands them to a command's
/// targets, where they would be called bad host names; an nmap user's <c>-O</c> deserves to hear
/// that portscan has no OS detection, and a typo that it is an unknown option.
/// </summary>
internal static class UnknownOptions
{
    private const string Raw = "it needs raw packets, and portscan scans with connect() (nmap's -sT)";
    private const string Discovery = "host discovery probes with ICMP echo and TCP connects (-PS)";

    // nmap's options that portscan does not have: what each is, and what portscan does instead.
    // Names ending in '*' take their value glued on (-PS22, --script=banner).
    private static readonly (string Option, string What, string? Instead)[] Nmap =
    [
        ("-O", "OS detection", null),
        ("--osscan-limit", "OS detection", null),
        ("--osscan-guess", "OS detection", null),
        ("-A", "OS and version detection, scripts and traceroute", "-sV detects services and versions"),
        ("--version-trace", "tracing version detection", "-d logs every protocol line between the coordinator and its workers"),
        ("--allports", "version detection of excluded ports", null),
        ("-sC", "NSE scripts", null),
        ("--script*", "NSE scripts", null),
        ("-sS", "SYN scan", Raw),
        ("-sA", "ACK scan", Raw),
        ("-sW", "window scan", Raw),
        ("-sM", "Maimon scan", Raw),
        ("-sN", "null scan", Raw),
        ("-sF", "FIN scan", Raw),
        ("-sX", "Xmas scan", Raw),
        ("--scanflags", "custom TCP flags", Raw),
        ("-sY", "SCTP INIT scan", null),
        ("-sZ", "SCTP COOKIE ECHO scan", null),
        ("-sO", "IP protocol scan", Raw),
        ("-sI", "idle scan", Raw),
        ("-b", "FTP bounce scan", null),
        ("-sL", "list scan", "'portscan plan' shows the hosts and ports a scan would cover"),
        ("-PS*", "TCP discovery ports glued to the option", "write -PS 22,80"),
        ("-PA*", "TCP ACK discovery", Discovery),
        ("-PU*", "UDP discovery", Discovery),
        ("-PY*", "SCTP discovery", Discovery),
        ("-PO*", "IP protocol ping", Discovery),
        ("-PE", "ICMP echo discovery", Discovery),
        ("-PP", "ICMP timestamp discovery", Discovery),
        ("-PM", "ICMP netmask discovery", Discovery),
        ("-PR", "ARP discovery", Discovery),
        ("--traceroute", "traceroute", null),
        ("-R", "reverse DNS of every host", null),
        ("--dns-servers", "a choice of DNS servers", "portscan uses the system's resolver"),
        ("--system-dns", "a choice of resolver", "portscan always uses the system's"),
        ("-f", "fragmentation", Raw),
        ("--mtu", "fragmentation", Raw),
        ("-D", "decoys", Raw),
        ("-S", "a spoofed source address", Raw),
        ("-e", "a choice of interface", null),
        ("-g", "a fixed source port", null),
        ("--source-port", "a fixed source port", null),
        ("--data", "custom payloads", Raw),
        ("--data-string", "custom payloads", Raw),
        ("--data-length", "random payloads", Raw),
        ("--ip-options", "IP options", Raw),
        ("--ttl", "a chosen TTL", null),
        ("--spoof-mac", "MAC spoofing", Raw),
        ("--badsum", "bad checksums", Raw),
        ("--scan-delay", "a delay between probes", "--max-rate sets the pace"),
        ("--max-scan-delay", "a cap on the delay between probes", null),
        ("--min-hostgroup", "host groups", "portscan slices hosts × ports across its workers"),
        ("--max-hostgroup", "host groups", "portscan slices hosts × ports across its workers"),
        ("--min-parallelism", "a floor on probes in flight", "-c sets the probes in flight a worker"),
        ("--max-parallelism", "a cap on probes in flight", "-c sets the probes in flight a worker"),
        ("--defeat-rst-ratelimit", "raw-packet timing", Raw),
        ("--defeat-icmp-ratelimit", "raw-packet timing", Raw),
        ("-oS", "script kiddie output", null),
        ("-oM", "machine output", "-oG writes the grepable report"),
        ("--append-output", "appending to reports", "each report is written whole, atomically"),
        ("--resume", "resuming an aborted scan", null),
        ("--stylesheet", "an XSL stylesheet", null),
        ("--webxml", "an XSL stylesheet", null),
        ("--no-stylesheet", "an XSL stylesheet", "portscan's XML names none"),
        ("-iR", "random targets", null),
        ("--packet-trace", "packet tracing", "-d logs every line between the coordinator and its workers"),
        ("--privileged", "raw-packet privileges", "portscan needs none"),
        ("--unprivileged", "raw-packet privileges", "portscan never uses them"),
        ("--send-eth", "raw Ethernet frames", Raw),
        ("--send-ip", "raw IP packets", Raw),
        ("-r", "a choice of port order", "each slice is scanned in ascending order"),
        ("--randomize-hosts", "random host order", "hosts are scanned in the order given"),
        ("--iflist", "a list of interfaces and routes", null),
        ("--datadir", "nmap's data directory", null),
        ("--servicedb", "a services file of one's own", null),
    ];

    /// <summary>Looks like an option: any word starting with '-' but '-' itself (nmap's stdin for -iL).</summary>
    public static bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-';

    /// <summary>One line about an option no command took.</summary>
    public static string Describe(string word)
    {
        var name = word.Split('=')[0];
        foreach (var (option, what, instead) in Nmap)
        {
            var glued = option.EndsWith('*');
            if (glued ? name.StartsWith(option[..^1], StringComparison.Ordinal) : name == option)
            {
                return $"{(glued ? option[..^1] : option)} ({what}) is not supported{(instead is null ? "" : $": {instead}")}";
            }
        }
        return $"unknown option '{name}'";
    }

    /// <summary>Makes an option-like word among <paramref name="argument"/>'s values a parse error that names it as an option.</summary>
    public static void RejectIn(Argument argument) => argument.Validators.Add(result =>
    {
        if (result.Tokens.Select(t => t.Value).FirstOrDefault(LooksLikeOption) is { } word)
        {
            result.AddError(Describe(word));
        }
    });
}
