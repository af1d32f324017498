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

    /// <summary>Stopped by SIGTERM (128 + SIGTERM); the report says <c>"complete": false</c>.</summary>
    public const int Terminated = 143;
}
