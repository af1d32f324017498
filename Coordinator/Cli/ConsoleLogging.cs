using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Logs go to stderr only, so stdout stays clean for reports and pipes: one line a message, in the
/// layout of Microsoft's simple console logger (<c>03:50:22.588 info: portscan[0] worker 0: …</c>).
/// A scan writes them through its <see cref="Output.ConsoleLines"/>, the one writer the progress
/// bar also draws with, so a log line never runs into the bar. Written here, in the caller's
/// thread: Microsoft's console logger writes from a queue thread of its own, which no lock of
/// ours can order against the bar, and building its pipeline measured 50–70 ms.
/// </summary>
public sealed class ConsoleLogging : ILoggerFactory
{
    private readonly LogLevel _minimum;
    private readonly Action<string> _writeLine;

    private ConsoleLogging(LogLevel minimum, Action<string> writeLine)
    {
        _minimum = minimum;
        _writeLine = writeLine;
    }

    /// <param name="minimum">The least a line must be to be written: Warning by default, down to Trace with -d.</param>
    /// <param name="writeLine">Where a line goes; stderr when not given.</param>
    public static ConsoleLogging Create(LogLevel minimum, Action<string>? writeLine = null) => new(minimum, writeLine ?? Console.Error.WriteLine);

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    /// <summary>Nothing but these lines is logged.</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("portscan logs to stderr only");

    public void Dispose()
    {
        // Every line is written when it is logged: nothing is queued.
    }

    /// <summary>"03:50:22.588 info: portscan[0] message", as Microsoft's simple console logger writes it on one line.</summary>
    public static string Format(DateTime time, LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{time:HH:mm:ss.fff} {Name(level)}: {category}[{eventId.Id}] {message}");
        // A message, never a stack trace: the user reads these.
        return exception is null ? line : $"{line}: {exception.Message}";
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class LineLogger(ConsoleLogging owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._writeLine(Format(DateTime.Now, logLevel, category, eventId, formatter(state, exception), exception));
            }
        }
    }
}
