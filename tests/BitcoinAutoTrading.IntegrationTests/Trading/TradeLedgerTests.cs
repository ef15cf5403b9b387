using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// TX3 on real PostgreSQL: weighted average entry with fees in cost, partial sells at a loss, the KST day of the fill,
/// and the once-only guard.
/// </summary>
public sealed class TradeLedgerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    // 2026-03-02 16:00 UTC is already 2026-03-03 in Korea.
    private static readonly DateTimeOffset At = new(2026, 3, 2, 16, 0, 0, TimeSpan.Zero);

    private readonly OrderRepository _orders = new(database.DataSource);
    private readonly PositionRepository _positions = new(database.DataSource, TimeProvider.System);
    private readonly DailyStatsRepository _days = new(database.DataSource, TimeProvider.System);

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private TradeLedger Ledger => new(database.DataSource, new PostgresTransactionRunner(database.DataSource), _orders, _positions, _days);

    [Fact]
    public async Task ApplyFillAsync_TwoBuysThenPartialSellAtALoss_WeightedAverageLossAndKstDay()
    {
        var buy1 = await FilledAsync(OrderSide.Buy, volume: 0.002m, funds: 200_000m, fee: 100m);
        var buy2 = await FilledAsync(OrderSide.Buy, volume: 0.001m, funds: 110_000m, fee: 55m);
        var sell = await FilledAsync(OrderSide.Sell, volume: 0.0015m, funds: 135_000m, fee: 67.5m);

        var first = await Ledger.ApplyFillAsync(buy1, At, 1_000_000m);
        var second = await Ledger.ApplyFillAsync(buy2, At.AddMinutes(1), 5m);
        var third = await Ledger.ApplyFillAsync(sell, At.AddMinutes(2), 5m);

        Assert.Equal(100_050_000m, first!.Position.AvgEntryPrice);
        // (200,100 + 110,055) / 0.003 = 103,385,000.
        Assert.Equal(0.003m, second!.Position.Quantity);
        Assert.Equal(103_385_000m, second.Position.AvgEntryPrice);
        Assert.Equal(110_000_000m, second.Position.PeakPriceSinceEntry);
        // (135,000 − 67.5) − 103,385,000 × 0.0015 = −20,145.
        Assert.Equal(-20_145m, third!.RealizedPnlKrw);
        Assert.Equal(0.0015m, third.Position.Quantity);
        Assert.Equal(103_385_000m, third.Position.AvgEntryPrice);
        Assert.Equal(first.Position.OpenedAt, third.Position.OpenedAt);

        var day = KstClock.TradingDay(At);
        Assert.Equal(new DateOnly(2026, 3, 3), day);
        var stats = await _days.GetAsync(day);
        Assert.Equal(1_000_000m, stats!.StartingEquityKrw);
        Assert.Equal(-20_145m, stats.RealizedPnlKrw);
        Assert.Equal(3, stats.TradeCount);
        Assert.Equal(0, stats.WinCount);
        Assert.Equal(1, stats.LossCount);
        var stored = await _positions.GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(-20_145m, stored!.RealizedPnlKrw);
    }

    [Fact]
    public async Task ApplyFillAsync_SameOrderTwice_SecondIsNullAndNothingChanges()
    {
        var buy = await FilledAsync(OrderSide.Buy, volume: 0.001m, funds: 100_000m, fee: 50m);

        var first = await Ledger.ApplyFillAsync(buy, At, 1_000_000m);
        var second = await Ledger.ApplyFillAsync(buy, At, 1_000_000m);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(0.001m, (await _positions.GetAsync(OrderExecutionTestHost.Market))!.Quantity);
        Assert.Equal(1, (await _days.GetAsync(KstClock.TradingDay(At)))!.TradeCount);
    }

    [Fact]
    public async Task ApplyFillAsync_OrderStillOpen_NothingAppliedOrWritten()
    {
        var creation = await _orders.CreateAsync(NewOrder(OrderSide.Buy));

        Assert.Null(await Ledger.ApplyFillAsync(creation.Order.Id, At, 1_000_000m));

        Assert.Null(await _positions.GetAsync(OrderExecutionTestHost.Market));
        Assert.Null(await _days.GetAsync(KstClock.TradingDay(At)));
        Assert.Null((await _orders.GetByIdAsync(creation.Order.Id))!.PositionAppliedAt);
    }

    private async Task<long> FilledAsync(OrderSide side, decimal volume, decimal funds, decimal fee)
    {
        var creation = await _orders.CreateAsync(NewOrder(side, volume));
        var id = creation.Order.Id;
        // Stored as the result step stores it; the order must be final before its fill counts.
        await _orders.RecordResultAsync(id, OrderStatus.Executed, volume, funds, funds / volume, fee, null, At);
        return id;
    }

    private static NewOrder NewOrder(OrderSide side, decimal volume = 0.001m) => new()
    {
        Market = OrderExecutionTestHost.Market,
        Side = side,
        OrdType = side == OrderSide.Buy ? OrderType.Price : OrderType.Market,
        RequestedKrw = side == OrderSide.Buy ? 100_000m : null,
        RequestedVolume = side == OrderSide.Sell ? volume : null,
        Identifier = $"bat-{Guid.NewGuid():N}",
        Reason = OrderReason.Signal,
        CreatedAt = At,
    };
}
