using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.UnitTests.Observability;

public sealed class RedactingLoggerProviderTests
{
    private const string Secret = "super-secret-gemini-key-123";

    [Fact]
    public void Log_SecretInMessageValueAndException_NeverReachesTheProvider()
    {
        var sink = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gemini:ApiKey"] = Secret })
            .Build());
        services.AddLogging(logging => logging.AddProvider(sink));
        services.AddSecretRedaction();
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILogger<RedactingLoggerProviderTests>>();

        logger.LogError(new InvalidOperationException($"call failed with key {Secret}"), "Calling with {Key} for {Market}", Secret, "KRW-BTC");

        var entry = Assert.Single(sink.Entries);
        Assert.DoesNotContain(Secret, entry.Message, StringComparison.Ordinal);
        Assert.Contains("KRW-BTC", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join(";", entry.Values.Select(v => v.Value)), StringComparison.Ordinal);
        Assert.Contains(entry.Values, v => v.Key == "Market" && (string?)v.Value == "KRW-BTC");
        Assert.DoesNotContain(Secret, entry.Exception!.Message, StringComparison.Ordinal);
    }

    private sealed record Entry(string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception);

    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<Entry> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                owner.Entries.Add(new Entry(formatter(state, exception), values.ToList(), exception));
            }
        }
    }
}
