namespace PortScan.Coordinator.Cli;

/// <summary>The documented exit codes (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Every requested port was scanned.</summary>
    public const int Success = 0;

    /// <summary>The scan ran but some ports could not be scanned; stderr says which and why.</summary>
    public const int ScanFailed = 1;

    /// <summary>Bad input: one line on stderr says what.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT); the report says <c>"complete": false</c>.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit codes as help lists them.</summary>
    public const string Help = """
        Exit codes:
          0    every requested port was scanned
          1    some ports are unscanned (stderr says which and why), or a report could not be
               written at the end (it is kept in the temporary directory; stderr says where)
          2    bad input; one line on stderr says what
          130  stopped by Ctrl-C, 143 by SIGTERM: what was finished is reported
        """;

    /// <summary>Stopped by SIGTERM (128 + SIGTERM); the report says <c>"complete": false</c>.</summary>
    public const int Terminated = 143;
}
