using Microsoft.Extensions.Logging;

namespace Vireo.Testing.Fakes;

/// <summary>Keeps log entries in a list so tests can see what the service logged.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message, Exception? Exception, EventId EventId)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception, EventId EventId)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (provider._entries)
                {
                    provider._entries.Add((logLevel, formatter(state, exception), exception, eventId));
                }
            }
        }
    }
}
