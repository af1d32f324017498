using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace PortScan.Coordinator.Cli;

/// <summary>
/// Logs go to stderr only, so stdout stays clean for reports and pipes. The console logging
/// pipeline is built on the first message that is actually logged: building it measured 50-70 ms,
/// a third of a one-port scan, and most scans log nothing.
/// </summary>
public sealed class ConsoleLogging : ILoggerFactory
{
    private readonly LogLevel _minimum;
    private readonly Lazy<ILoggerFactory> _factory;

    private ConsoleLogging(LogLevel minimum)
    {
        _minimum = minimum;
        _factory = new Lazy<ILoggerFactory>(() => LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(_minimum);
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }));
    }

    public static ConsoleLogging Create(LogLevel minimum) => new(minimum);

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _factory.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose(); // flushes the console logger's queue
        }
    }

    private sealed class DeferredLogger(ConsoleLogging owner, string category) : ILogger
    {
        private ILogger? _logger;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _logger ??= owner._factory.Value.CreateLogger(category);
                _logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
