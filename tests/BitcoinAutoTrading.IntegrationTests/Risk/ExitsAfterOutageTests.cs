using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Trading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

/// <summary>
/// The protective exits after an outage (issue #12 item 2, SPEC §5.3): the app's whole composition in Live mode against
/// the Upbit fake over HTTP, with 500 minutes missing from the store so back-fill (200 minutes a run) is hours behind.
/// Only the order starter is replaced by a recorder: these tests are about the decision, not the orchestration.
/// </summary>
public sealed class ExitsAfterOutageTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime, IDisposable
{
    private const string Market = OrderExecutionTestHost.Market;
    private const decimal Entry = 100_000_000m;
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly RecordingOrderStarter _starter = new();

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _upbit.Dispose();

    [Fact]
    public async Task CollectAsync_CrashNowWhileBackfillHoursBehind_StopLossSellsOnFirstRun()
    {
        // Every back-filled minute sits at the entry price; only the ticker shows the crash (−10 % against a 5 % stop).
        var forming = await SeedOutageAsync((_, _) => Entry, ticker: 90_000_000m);
        using var host = Host();

        var result = await host.Services.GetRequiredService<MarketDataCollector>().CollectAsync(Market);

        Assert.False(result.CaughtUp);
        Assert.True(result.NewestMinute < forming.AddHours(-4), $"back-fill reached {result.NewestMinute:o}");
        var sell = Assert.Single(_starter.Started);
        Assert.Equal((OrderSide.Sell, OrderReason.StopLoss, 0.01m), (sell.Side, sell.Reason, sell.Volume));
    }

    [Fact]
    public async Task CollectAsync_DipHoursAgoRecoveredNow_SellsNothing()
    {
        // The first page back-filled ends in a dip 8 % under entry, hours ago; the market has recovered since.
        var forming = await SeedOutageAsync(
            (minute, formingNow) => minute < formingNow.AddMinutes(-300) ? 92_000_000m : Entry, ticker: 101_000_000m);
        using var host = Host();

        var result = await host.Services.GetRequiredService<MarketDataCollector>().CollectAsync(Market);

        Assert.False(result.CaughtUp);
        Assert.Equal(92_000_000m, result.LastClose);
        Assert.Empty(_starter.Started);
        Assert.True(forming > result.NewestMinute);
    }

    /// <summary>10 minutes stored, then 500 missing up to the minute forming now; an open position of 0.01 BTC at <see cref="Entry"/>.</summary>
    /// <param name="close">A minute's close, given the minute and the minute forming now.</param>
    private async Task<DateTimeOffset> SeedOutageAsync(Func<DateTimeOffset, DateTimeOffset, decimal> close, decimal ticker)
    {
        // The app runs on the real clock here, so the outage is laid out relative to the minute forming now.
        var now = DateTimeOffset.UtcNow;
        var forming = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var lastStored = forming.AddMinutes(-501);
        var candles = Enumerable.Range(0, 511).Select(i => lastStored.AddMinutes(i - 9))
            .Select(t => (Start: t, Close: close(t, forming)))
            .Select(c => new Candle(Market, c.Start, c.Close, c.Close, c.Close, c.Close, 0.5m, c.Close * 0.5m))
            .ToList();
        OrderExecutionTestHost.Seed(_upbit, price: ticker, btc: 0.01m);
        _upbit.SetCandles(Market, CandleInterval.Minute1, candles);
        await new MarketDataRepository(database.DataSource).UpsertMinutesAsync(candles.Take(10).ToList());
        await new PositionRepository(database.DataSource, TimeProvider.System).UpsertAsync(
            new Position(Market, 0.01m, Entry, 0m, Entry, forming.AddDays(-1), forming.AddDays(-1)));
        return forming;
    }

    private IHost Host() => OrderExecutionTestHost.Build(database, _upbit,
        configure: services => services.AddSingleton<IOrderStarter>(_starter));

    private sealed class RecordingOrderStarter : IOrderStarter
    {
        public List<OrderInstruction> Started { get; } = [];

        public Task<OrderStartResult> StartAsync(OrderInstruction instruction, CancellationToken cancellationToken = default)
        {
            Started.Add(instruction);
            return Task.FromResult(new OrderStartResult(OrderStartStatus.Started, $"order-{instruction.Market}"));
        }
    }
}
