using System.Diagnostics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Functions.Signals;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Dapper;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BitcoinAutoTrading.IntegrationTests.Observability;

/// <summary>
/// The app as Program.cs composes it (<see cref="AppComposition.ComposeApp"/>), in Live mode with every secret configured,
/// running a collection, a signal run and an order against fakes over real HTTP, with in-memory OpenTelemetry exporters
/// and a log sink behind the app's redaction. Proves the spans and metrics of SPEC §9 exist and that no secret reaches a
/// log line or a span (R7).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private const string Market = "KRW-BTC";
    private static readonly ActivitySource TestSource = new("BitcoinAutoTrading.Tests.Telemetry");
    private const string DatabasePassword = "pg-secret-password-42";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 20, TimeSpan.Zero);

    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly GeminiFake _gemini = new();
    private readonly WireMockServer _slack = WireMockServer.Start();
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly CapturingLoggerProvider _logs = new();

    private string SlackWebhook => $"{_slack.Url}/services/T0SECRET01/B0SECRET02/slackTokenSecretValue123";

    [Fact]
    public async Task CollectionSignalAndOrder_AllSecretsConfigured_SpansAndMetricsExistAndNoSecretLeaks()
    {
        await SeedAsync();
        var host = BuildHost();
        await host.StartAsync();
        var services = host.Services;
        // Everything the run does happens under this root, so only this run's spans are inspected.
        var root = TestSource.StartActivity("telemetry-test-run") ?? throw new InvalidOperationException("The test source is not sampled.");

        // A collection run, a signal run (HOLD: nothing to execute), and an order through the real execution steps.
        await ActivatorUtilities.CreateInstance<CollectMarketDataFunction>(services)
            .CollectMarketData(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("HOLD", 0.05, "sideways")));
        await ActivatorUtilities.CreateInstance<GenerateSignalFunction>(services)
            .GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);
        var outcome = await ExecuteOrderAsync(services.GetRequiredService<IOrderExecutionSteps>());
        Assert.Equal(OrderStatus.Executed, outcome.Status);

        root.Stop();
        await host.StopAsync();
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        // Disposing the providers ends the capture: nothing is appended while the lists are read.
        host.Dispose();
        var spans = _spans.Where(s => s.TraceId == root.TraceId && s != root).ToList();

        // Spans: one per job run, per exchange and AI call, per order step, and the database commands.
        var names = spans.Select(s => s.DisplayName).ToList();
        Assert.Contains("job CollectMarketData", names);
        Assert.Contains("job GenerateSignal", names);
        Assert.Contains(names, n => n.StartsWith("upbit GET /v1/candles/minutes/1", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("upbit POST /v1/orders", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("gemini POST /v1beta/models/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("order.", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Source.Name == "Npgsql");
        var job = spans.First(s => s.DisplayName == "job GenerateSignal");
        Assert.Equal("succeeded", job.GetTagItem("outcome"));
        Assert.Equal(1, job.GetTagItem("attempts"));
        var signalRun = spans.Single(s => s.DisplayName == "signal.run");
        Assert.Equal("HOLD", signalRun.GetTagItem("signal.type"));
        Assert.IsType<long>(signalRun.GetTagItem("signal.id"));
        Assert.Contains(spans, s => s.DisplayName.StartsWith("order.", StringComparison.Ordinal) && s.GetTagItem("order.id") is long);

        // Metrics of the BitcoinAutoTrading meter and the Npgsql pool meter.
        var metricNames = _metrics.Select(m => m.Name).ToHashSet();
        foreach (var expected in new[] { "bat.job.duration", "bat.job.runs", "bat.exchange.request.duration", "bat.ai.tokens", "bat.ai.cost_usd", "bat.signals", "bat.orders", "bat.cache.requests" })
        {
            Assert.Contains(expected, metricNames);
        }
        Assert.Contains(metricNames, n => n.StartsWith("db.client.connection", StringComparison.Ordinal));

        // R7: no configured secret, no JWT and no bearer token in any log line, structured value, exception or span.
        var secrets = new[] { UpbitFake.AccessKey, UpbitFake.SecretKey, GeminiFake.ApiKey, SlackWebhook, "slackTokenSecretValue123", DatabasePassword };
        var logText = string.Join("\n", _logs.Entries);
        var spanText = string.Join("\n", spans.Select(s => s.DisplayName + " " + string.Join(" ", s.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " + s.StatusDescription));
        Assert.True(_logs.Entries.Count > 20, $"Too few log lines captured ({_logs.Entries.Count}) for the check to mean anything.");
        Assert.True(_upbit.Requests.Count > 0 && _slack.LogEntries.Any(), "The run must have used the signed Upbit API and the Slack webhook.");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, spanText, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("eyJ", logText, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", spanText, StringComparison.Ordinal);
    }

    private async Task<OrderOutcome> ExecuteOrderAsync(IOrderExecutionSteps steps)
    {
        var instruction = new OrderInstruction(Market, OrderSide.Buy, OrderType.Price, OrderReason.Manual, Krw: 10_000m);
        var orderId = await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(instruction, $"bat-{Guid.NewGuid():N}"));
        var submit = await steps.SubmitOrderAsync(orderId);
        Assert.True(submit.Accepted, submit.Error);
        var state = await steps.GetOrderStateAsync(orderId);
        for (var poll = 0; !state.IsFinal && poll < 20; poll++)
        {
            state = await steps.GetOrderStateAsync(orderId);
        }
        await steps.RecordOrderResultAsync(new RecordOrderResultInput(orderId, state));
        await steps.ApplyFillToPositionAsync(orderId);
        var outcome = new OrderOutcome(orderId, "", state.ToStatus(), state.ExecutedVolume, state.ExecutedFundsKrw, state.Error);
        await steps.SendNotificationAsync(outcome);
        return outcome;
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = DatabasePassword }.ConnectionString,
            ["Trading:Mode"] = "Live",
            ["Trading:Market"] = Market,
            ["Upbit:BaseUrl"] = _upbit.Url,
            ["Upbit:AccessKey"] = UpbitFake.AccessKey,
            ["Upbit:SecretKey"] = UpbitFake.SecretKey,
            ["Gemini:ApiKey"] = GeminiFake.ApiKey,
            ["Gemini:BaseUrl"] = _gemini.BaseUrl,
            ["Slack:WebhookUrl"] = SlackWebhook,
            ["Jobs:FirstRetryDelay"] = "00:00:00.010",
            ["MarketDataSchedule"] = "0 * * * * *",
            ["SignalSchedule"] = "0 */30 * * * *",
            ["EvaluateSignalsSchedule"] = "0 0 */4 * * *",
            ["RollDailyStatsSchedule"] = "0 5 15 * * *",
            ["SyncOpenOrdersSchedule"] = "0 */5 * * * *",
            ["PurgeMarketDataSchedule"] = "0 30 18 * * *",
        });
        // Registered before the app's composition so the app's redaction wraps it like every real provider.
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(_logs);
        builder.ComposeApp();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(TestSource.Name).AddInMemoryExporter(_spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics));
        return builder.Build();
    }

    private async Task SeedAsync()
    {
        await database.ResetAsync();
        // Two days of minutes up to the last closed minute, gently rising; the collector adds the newest few.
        var newest = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, Now.Minute, 0, TimeSpan.Zero).AddMinutes(-1);
        const int minutes = 2 * 24 * 60;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
                SELECT @market, @first + make_interval(mins => i),
                       100000000 + i * 10, 100000000 + i * 10 + 800, 100000000 + i * 10 - 700, 100000000 + i * 10 + 300,
                       1, 100000000 + i * 10 + 300
                FROM generate_series(0, @count - 1) AS i
                """, new { market = Market, first = newest.AddMinutes(-(minutes + 4)).UtcDateTime, count = minutes });
        }
        // Loaded in bulk: the rollups the sampler reads are built afterwards, as an import would.
        await new MarketDataRepository(database.DataSource).RebuildBarsAsync(Market, newest.AddMinutes(-(minutes + 4)), newest);

        var recent = Enumerable.Range(0, 5).Select(i => newest.AddMinutes(-4 + i))
            .Select(ts => new Candle(Market, ts, 100_030_000m, 100_031_000m, 100_029_000m, 100_030_500m, 1m, 100_030_500m));
        _upbit.SetCandles(Market, CandleInterval.Minute1, recent);
        foreach (var interval in new[] { CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week })
        {
            var step = TimeSpan.FromMinutes((int)interval);
            _upbit.SetCandles(Market, interval, Enumerable.Range(0, 200).Select(i =>
            {
                var close = 90_000_000m + i * 50_000m;
                return new Candle(Market, Now - step * (200 - i), close, close + 200_000m, close - 200_000m, close, 2m, close * 2m);
            }));
        }
        _upbit.SetTicker(Market, 100_030_500m);
        _upbit.SetBalance("KRW", 1_000_000m);
        _slack.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
    }

    public void Dispose()
    {
        _upbit.Dispose();
        _gemini.Dispose();
        _slack.Stop();
    }

    /// <summary>Keeps every formatted line with its structured values and exception text, as an exporter would see them.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToList();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                var line = $"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}";
                lock (owner._entries)
                {
                    owner._entries.Add(line);
                }
            }
        }
    }
}

/// <summary>
/// Meters and activity sources are process-wide: this class runs alone (after the parallel tests) so the metrics it
/// reads were produced by its own run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (runs alone)";
}
