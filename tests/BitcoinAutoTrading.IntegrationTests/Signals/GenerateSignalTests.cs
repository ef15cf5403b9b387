using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
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
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>
/// The whole GenerateSignal run as the app composes it (<see cref="AppComposition.ComposeApp"/>, paper mode): 14 days of
/// minutes in real PostgreSQL, 1h–1w candles from <see cref="UpbitFake"/> over HTTP, Gemini from <see cref="GeminiFake"/>
/// or no key. The real signal executor and risk rules run; only the order starter is a mock, so no orchestration starts.
/// </summary>
public sealed class GenerateSignalTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime, IDisposable
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 30, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset NewestMinute = new(2026, 1, 15, 12, 29, 0, TimeSpan.Zero);

    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly GeminiFake _gemini = new();
    private readonly List<IHost> _hosts = [];
    private readonly Mock<IOrderStarter> _starter = new();
    private long _newestMinuteId;

    public async Task InitializeAsync()
    {
        _starter.Setup(s => s.StartAsync(It.IsAny<OrderInstruction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderStartResult(OrderStartStatus.Started, "signal-order"));
        await database.ResetAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        // 14 days + 26 hours of minutes ending at the newest closed minute, rising gently.
        const int minutes = (14 * 24 + 26) * 60;
        await connection.ExecuteAsync("""
            INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
            SELECT @market, @first + make_interval(mins => i),
                   100000000 + i * 100, 100000000 + i * 100 + 800, 100000000 + i * 100 - 700, 100000000 + i * 100 + 300,
                   1 + (i % 3), (100000000 + i * 100 + 300) * (1 + (i % 3))
            FROM generate_series(0, @count - 1) AS i
            """, new { market = Market, first = NewestMinute.AddMinutes(-(minutes - 1)).UtcDateTime, count = minutes });
        // Loaded in bulk, as an import would: the rollups the sampler reads are built afterwards.
        await new MarketDataRepository(database.DataSource).RebuildBarsAsync(
            Market, NewestMinute.AddMinutes(-(minutes - 1)), NewestMinute.AddMinutes(1));
        _newestMinuteId = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM market_data WHERE market = @market ORDER BY ts DESC LIMIT 1", new { market = Market });
        // The paper exchange prices a buy at the current ticker.
        _upbit.SetTicker(Market, ExpectedClose(NewestMinute));
        foreach (var interval in new[] { CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week })
        {
            _upbit.SetCandles(Market, interval, Rising(interval));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GenerateSignal_NoGeminiKey_StoresTechnicalSignalAndStartsItsOrder()
    {
        var host = Host(geminiKey: null);

        await Function(host).GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);

        var signal = await LatestAsync(host);
        Assert.Equal(SignalProviderKind.Technical, signal.Provider);
        Assert.Equal(SignalType.Buy, signal.Type);
        Assert.False(signal.IsFallback);
        Assert.Equal(_newestMinuteId, signal.MarketDataId);
        Assert.Equal(ExpectedClose(NewestMinute), signal.PriceAtSignal);
        Assert.Null(signal.InputTokens);
        Assert.Null(signal.PromptChars);
        Assert.Equal(SignalExecutor.StartedNote, signal.ExecutionNote);
        AssertOneBuyStarted();
        Assert.Equal(Now, signal.CreatedAt);
        Assert.Empty(_gemini.Requests);
        await AssertJobSucceededAsync(host);
    }

    [Fact]
    public async Task GenerateSignal_GeminiBuy_StoresTokensLatencyPromptSizeMinuteAndStartsItsOrder()
    {
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("BUY", 0.55, "bull_trend")));
        var host = Host(geminiKey: GeminiFake.ApiKey);

        await Function(host).GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);

        var signal = await LatestAsync(host);
        Assert.Equal(SignalProviderKind.Gemini, signal.Provider);
        Assert.Equal(SignalType.Buy, signal.Type);
        Assert.Equal(0.55m, signal.ActionScore);
        Assert.Equal("bull_trend", signal.MarketRegime);
        Assert.Equal((2412, 88, 821), (signal.InputTokens, signal.OutputTokens, signal.ThinkingTokens));
        Assert.NotNull(signal.LatencyMs);
        Assert.InRange(signal.LatencyMs.Value, 0, 10_000);
        // The prompt for the full 14-day data set stays within the 3,000-token budget (chars / 4).
        Assert.InRange(signal.PromptChars!.Value, 1_000, 12_000);
        Assert.Equal("gemini-2.5-flash", signal.ModelName);
        Assert.Equal(_newestMinuteId, signal.MarketDataId);
        Assert.Equal(SignalExecutor.StartedNote, signal.ExecutionNote);
        AssertOneBuyStarted();
        var prompt = JsonDocument.Parse(Assert.Single(_gemini.Requests).RequestMessage.Body!)
            .RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString();
        Assert.Equal(signal.PromptChars, prompt!.Length);
        await AssertJobSucceededAsync(host);
    }

    [Fact]
    public async Task GenerateSignal_GeminiHold_StoredAsHold()
    {
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("HOLD", 0.05, "sideways")));
        var host = Host(geminiKey: GeminiFake.ApiKey);

        await Function(host).GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);

        var signal = await LatestAsync(host);
        Assert.Equal(SignalType.Hold, signal.Type);
        Assert.Equal(SignalRunner.HoldNote, signal.ExecutionNote);
    }

    [Fact]
    public async Task GenerateSignal_MalformedGeminiAnswer_StoredAsFallbackAndNeverExecuted()
    {
        var executor = new Mock<ISignalExecutor>();
        _gemini.Enqueue(200, GeminiFake.Success("""{"signal":"BUY","action_score":"lots"}"""));
        var host = Host(geminiKey: GeminiFake.ApiKey, executor.Object);

        await Function(host).GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);

        var signal = await LatestAsync(host);
        Assert.Equal(SignalProviderKind.Technical, signal.Provider);
        Assert.True(signal.IsFallback);
        Assert.Equal(SignalRunner.FallbackNote, signal.ExecutionNote);
        Assert.Equal(2412, signal.InputTokens);
        using var reasoning = JsonDocument.Parse(signal.ReasoningJson);
        Assert.Equal("gemini", reasoning.RootElement.GetProperty("fallback_from").GetString());
        executor.Verify(e => e.ExecuteAsync(It.IsAny<long>(), It.IsAny<SignalResult>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GenerateSignal_ExecutorRegistered_HandsOverStoredSignalAndStoresItsNote()
    {
        var executor = new Mock<ISignalExecutor>();
        executor.Setup(e => e.ExecuteAsync(It.IsAny<long>(), It.IsAny<SignalResult>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("order started");
        var host = Host(geminiKey: null, executor.Object);

        await Function(host).GenerateSignal(new TimerInfo(), UnusedDurableClient.Create(), CancellationToken.None);

        var signal = await LatestAsync(host);
        Assert.Equal("order started", signal.ExecutionNote);
        executor.Verify(e => e.ExecuteAsync(
            signal.Id, It.Is<SignalResult>(r => r.Action == SignalAction.Buy && r.MarketDataId == _newestMinuteId), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
        _upbit.Dispose();
        _gemini.Dispose();
    }

    private IHost Host(string? geminiKey, ISignalExecutor? executor = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Trading:Mode"] = "Paper",
            ["Upbit:BaseUrl"] = _upbit.Url,
            ["Gemini:ApiKey"] = geminiKey,
            ["Gemini:BaseUrl"] = _gemini.BaseUrl,
        });
        builder.ComposeApp();
        builder.Services.AddSingleton(_starter.Object);
        // The clock is pinned to the seeded series; nothing in a successful run waits on it.
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        if (executor is not null)
        {
            builder.Services.AddSingleton(executor);
        }
        var host = builder.Build();
        _hosts.Add(host);
        return host;
    }

    private static GenerateSignalFunction Function(IHost host) => new(
        host.Services.GetRequiredService<IJobRunner>(),
        host.Services.GetRequiredService<ISignalRunner>(),
        host.Services.GetRequiredService<IOptions<TradingOptions>>(),
        host.Services.GetRequiredService<DurableClientAccessor>());

    private void AssertOneBuyStarted() => _starter.Verify(s => s.StartAsync(
        It.Is<OrderInstruction>(i => i.Market == Market && i.Side == OrderSide.Buy && i.Reason == OrderReason.Signal),
        It.IsAny<CancellationToken>()), Times.Once);

    private static async Task<TradingSignal> LatestAsync(IHost host) =>
        await host.Services.GetRequiredService<ISignalRepository>().GetLatestAsync(Market) ?? throw new InvalidOperationException("No signal stored.");

    private static async Task AssertJobSucceededAsync(IHost host)
    {
        var run = Assert.Single(await host.Services.GetRequiredService<IJobRunRepository>().ListAsync("GenerateSignal", 10));
        Assert.Equal(JobOutcome.Succeeded, run.Outcome);
    }

    private static decimal ExpectedClose(DateTimeOffset minute)
    {
        var first = NewestMinute.AddMinutes(-((14 * 24 + 26) * 60 - 1));
        return 100_000_300m + (decimal)(minute - first).TotalMinutes * 100m;
    }

    /// <summary>Accelerating growth on every timeframe, so indicators and confluence all point up and the technical provider says BUY.</summary>
    private static List<Candle> Rising(CandleInterval interval)
    {
        var step = TimeSpan.FromMinutes((int)interval);
        var first = Now - step * 200;
        return Enumerable.Range(0, 200).Select(i =>
        {
            var close = Math.Round(100_000_000m * (decimal)Math.Pow(1.004, i), 0);
            return new Candle(Market, first + step * i, close, Math.Round(close * 1.003m, 0), Math.Round(close * 0.997m, 0), close, 2m, close * 2m);
        }).ToList();
    }
}
