using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Infrastructure.Observability;

/// <summary>Wraps a logger provider so the formatted message and every structured value pass through <see cref="SecretRedactor"/>.</summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner, SecretRedactor redactor) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = redactor.Redact(formatter(state, exception));
            // Structured values are redacted too: exporters read them as attributes, not only the message.
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Key == "{OriginalFormat}" ? p.Value : redactor.Redact(p.Value))).ToList()
                : [];
            var redactedException = exception is null ? null : RedactedException.From(exception, redactor);
            inner.Log(logLevel, eventId, new RedactedState(values, message), redactedException, static (s, _) => s.Message);
        }
    }

    /// <summary>A log state that exporters enumerate like the original (key/value pairs) and that formats to the redacted message.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}

/// <summary>An exception whose message and stack text went through the redactor; keeps the original type name.</summary>
public sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;

    private RedactedException(string message, string? stackTrace, Exception? inner) : base(message, inner) => _stackTrace = stackTrace;

    public override string? StackTrace => _stackTrace;

    public static Exception From(Exception exception, SecretRedactor redactor)
    {
        var message = redactor.Redact(exception.Message);
        var stack = exception.StackTrace;
        if (message == exception.Message && exception.InnerException is null)
        {
            return exception;
        }
        var inner = exception.InnerException is null ? null : From(exception.InnerException, redactor);
        return new RedactedException($"{exception.GetType().FullName}: {message}", stack, inner);
    }
}
