using BitcoinAutoTrading.Functions.Trading;
using System.Text.RegularExpressions;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Infrastructure.Jobs;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Exchange;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.MarketData;

/// <summary>CollectMarketData against real PostgreSQL and the Upbit adapter over HTTP to <see cref="UpbitFake"/>.</summary>
public sealed class CollectMarketDataTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime, IDisposable
{
    private const string Market = "KRW-BTC";
    // 12:00 is the minute still forming at 12:00:30; 11:59 is the newest closed one.
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Forming = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly FakeTimeProvider _clock = new(Now);
    private IHost? _host;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        // Every run ends with the protective-exit check, which judges the ticker (SPEC §5.3), so the fake always quotes one.
        _upbit.SetTicker(Market, 100_000_000m);
        // The exchange as the app builds it (Upbit adapter behind the cache), pointed at the fake.
        _host = ExchangeTestHost.Build(_upbit);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CollectAsync_EmptyTable_StoresNewest200ClosedMinutesAndRerunChangesNothing()
    {
        _upbit.SetCandles(Market, CandleInterval.Minute1, Minutes(Forming.AddMinutes(-299), 300));
        var collector = Collector();

        var first = await collector.CollectAsync(Market);
        var second = await collector.CollectAsync(Market);

        Assert.Equal((200, 200), (first.Fetched, first.Changed));
        var stored = await StoredAsync();
        Assert.Equal(200, stored.Count);
        Assert.Equal(Forming.AddMinutes(-200), stored[0]);
        Assert.Equal(Forming.AddMinutes(-1), stored[^1]);
        Assert.True(first.CaughtUp);
        Assert.Equal(Close(Forming.AddMinutes(-1)), first.LastClose);
        // The rerun asks again from the last stored minute and finds nothing to change.
        Assert.Equal(0, second.Changed);
        Assert.Equal(200, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task CollectAsync_GapOf500Minutes_CatchesUpOldestFirstInThreeRuns()
    {
        var lastStored = Forming.AddMinutes(-501);
        _upbit.SetCandles(Market, CandleInterval.Minute1, Minutes(lastStored.AddMinutes(-9), 511));
        var repository = new MarketDataRepository(database.DataSource);
        await repository.UpsertMinutesAsync(Minutes(lastStored.AddMinutes(-9), 10));
        var collector = Collector();

        var runs = new List<MarketDataCollection>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await collector.CollectAsync(Market));
        }

        // Each run continues where the previous one stopped, so there is never a hole in the middle.
        Assert.Equal(lastStored.AddMinutes(199), runs[0].NewestMinute);
        Assert.Equal(lastStored.AddMinutes(398), runs[1].NewestMinute);
        Assert.Equal(Forming.AddMinutes(-1), runs[2].NewestMinute);
        Assert.Equal([false, false, true], runs.Select(r => r.CaughtUp));
        Assert.Equal([199, 199, 102], runs.Select(r => r.Changed));
        var stored = await StoredAsync();
        Assert.Equal(510, stored.Count);
        Assert.Equal(Enumerable.Range(0, 510).Select(i => lastStored.AddMinutes(-9 + i)), stored);
        // One page of at most 200 per run, as Upbit allows.
        var counts = _upbit.Requests.Where(r => r.Endpoint == UpbitEndpoint.Candles)
            .Select(r => Regex.Match(r.PathAndQuery, "count=([0-9]+)").Groups[1].Value);
        Assert.Equal(["200", "200", "103"], counts);

        var fourth = await collector.CollectAsync(Market);
        Assert.Equal(0, fourth.Changed);
        Assert.Equal(510, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task CollectMarketData_TimerRun_RecordedInJobRunsAndExitsChecked()
    {
        _upbit.SetCandles(Market, CandleInterval.Minute1, Minutes(Forming.AddMinutes(-4), 5));
        _upbit.SetTicker(Market, 99_000_000m);
        var exits = new Mock<IProtectiveExitMonitor>();
        var runs = new JobRunRepository(database.DataSource);
        var jobRunner = new JobRunner(
            runs, Mock.Of<INotifier>(), _clock,
            Microsoft.Extensions.Options.Options.Create(new JobRetryOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(1) }),
            NullLogger<JobRunner>.Instance);
        var function = new CollectMarketDataFunction(
            jobRunner, Collector(exits.Object), Microsoft.Extensions.Options.Options.Create(new TradingOptions()), new DurableClientAccessor());

        await function.CollectMarketData(new TimerInfo { IsPastDue = true }, UnusedDurableClient.Create(), CancellationToken.None);

        var run = Assert.Single(await runs.ListAsync("CollectMarketData", 10));
        Assert.Equal(JobOutcome.Succeeded, run.Outcome);
        Assert.Equal(1, run.Attempts);
        Assert.True(run.IsPastDue);
        Assert.Equal(4, (await StoredAsync()).Count);
        // The exits judge the ticker (the price of now), not the newest stored close.
        exits.Verify(e => e.CheckAsync(Market, 99_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }

    public void Dispose()
    {
        _host?.Dispose();
        _upbit.Dispose();
    }

    private MarketDataCollector Collector(IProtectiveExitMonitor? exits = null) => new(
        _host!.Services.GetRequiredService<IExchange>(),
        new MarketDataRepository(database.DataSource),
        exits ?? Mock.Of<IProtectiveExitMonitor>(),
        Microsoft.Extensions.Options.Options.Create(new MarketDataOptions()),
        _clock,
        NullLogger<MarketDataCollector>.Instance);

    private async Task<List<DateTimeOffset>> StoredAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<DateTime>("SELECT ts FROM market_data WHERE market = @market ORDER BY ts", new { market = Market });
        return rows.Select(t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))).ToList();
    }

    private static decimal Close(DateTimeOffset minute) => 100_000_000m + (decimal)(minute - Forming).TotalMinutes * 1_000m + 500m;

    private static List<Candle> Minutes(DateTimeOffset first, int count) => Enumerable.Range(0, count)
        .Select(i =>
        {
            var start = first.AddMinutes(i);
            var close = Close(start);
            return new Candle(Market, start, close - 500m, close + 1_000m, close - 1_500m, close, 0.5m, close * 0.5m);
        })
        .ToList();
}
