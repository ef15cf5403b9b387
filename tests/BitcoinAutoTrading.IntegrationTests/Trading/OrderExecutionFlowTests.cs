using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Whole orders through the real orchestrator, the real steps, PostgreSQL and the Upbit client over HTTP to the fake:
/// what the trader sees in orders, positions, daily stats and the exchange balances.
/// </summary>
public sealed class OrderExecutionFlowTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    private IOrderExecutionSteps Steps => _app.Services.GetRequiredService<IOrderExecutionSteps>();

    private IOrderRepository Orders => _app.Services.GetRequiredService<IOrderRepository>();

    [Fact]
    public async Task Run_BuyThenSell_PositionRealizedPnlDailyStatsAndBalancesExact()
    {
        OrderExecutionTestHost.Seed(_upbit, price: 100_000_000m, krw: 1_000_000m);
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var buy = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m), Timeout);

        Assert.Equal(OrderStatus.Executed, buy.Status);
        Assert.Equal(0.001m, buy.ExecutedVolume);
        var afterBuy = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.NotNull(afterBuy);
        Assert.Equal(0.001m, afterBuy.Quantity);
        // Fee in cost: (100,000 + 50 fee) / 0.001 BTC.
        Assert.Equal(100_050_000m, afterBuy.AvgEntryPrice);
        Assert.Equal(100_000_000m, afterBuy.PeakPriceSinceEntry);
        Assert.NotNull(afterBuy.OpenedAt);

        _upbit.SetTicker(OrderExecutionTestHost.Market, 110_000_000m);
        var sell = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Sell(0.001m), Timeout);

        Assert.Equal(OrderStatus.Executed, sell.Status);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.NotNull(position);
        Assert.Equal(0m, position.Quantity);
        Assert.Null(position.OpenedAt);
        // (110,000 − 55 fee) − 100,050,000 × 0.001 = 9,895 KRW.
        Assert.Equal(9_895m, position.RealizedPnlKrw);

        // Money: the exchange's KRW moved by exactly the realized PnL, and no BTC is left.
        Assert.Equal(1_000_000m + 9_895m, _upbit.GetBalance("KRW"));
        Assert.Equal(0m, _upbit.GetBalance("BTC"));

        var days = await _app.Services.GetRequiredService<IDailyStatsRepository>().ListAsync(2);
        var today = Assert.Single(days);
        Assert.Equal(9_895m, today.RealizedPnlKrw);
        Assert.Equal(2, today.TradeCount);
        Assert.Equal(1, today.WinCount);
        Assert.Equal(0, today.LossCount);
        // Opened on the first fill: 899,950 KRW + 0.001 BTC at 100,000,000.
        Assert.Equal(999_950m, today.StartingEquityKrw);

        var orders = await Orders.ListAsync(null, 10);
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o =>
        {
            Assert.Equal(OrderStatus.Executed, o.Status);
            Assert.NotNull(o.PositionAppliedAt);
            Assert.NotNull(o.ExchangeUuid);
        });
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task Run_FillAfterSeveralPolls_ExecutedAndAppliedOnce()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.FillAfterLookups = 4;
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(50_000m), Timeout);

        Assert.Equal(OrderStatus.Executed, outcome.Status);
        Assert.Equal(0.0005m, outcome.ExecutedVolume);
        Assert.True(_upbit.Orders.Single().State == "done");
        Assert.True(_upbit.RequestCount(UpbitEndpoint.GetOrder) >= 4);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.0005m, position!.Quantity);
    }

    [Fact]
    public async Task Run_DeadlinePassesWithPartialFill_CancelsRecordsPartiallyExecutedAndApplies()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.FillAfterLookups = int.MaxValue;
        _upbit.PartialFillOnCancel = 0.4m;
        await using var host = await OrchestrationHost.StartAsync(Steps);
        var polling = new OrderPolling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1));

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m, polling), Timeout);

        Assert.Equal(OrderStatus.PartiallyExecuted, outcome.Status);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        var order = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.PartiallyExecuted, order!.Status);
        Assert.Equal(0.0004m, order.ExecutedVolume);
        Assert.Equal(40_000m, order.ExecutedFundsKrw);
        Assert.Equal(20m, order.PaidFee);
        Assert.NotNull(order.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.0004m, position!.Quantity);
        Assert.Equal(100_050_000m, position.AvgEntryPrice);
        Assert.Equal(0.0004m, _upbit.GetBalance("BTC"));
    }

    [Fact]
    public async Task Run_ExchangeRefuses4xx_FailedWithOnePostAndNoPosition()
    {
        OrderExecutionTestHost.Seed(_upbit, krw: 10_000m);
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m), Timeout);

        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal("insufficient_funds_bid", outcome.Error);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        Assert.Equal(0, _upbit.OrdersPlaced);
        var order = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.Failed, order!.Status);
        Assert.Equal("insufficient_funds_bid", order.Error);
        Assert.Null(order.PositionAppliedAt);
        Assert.Null(await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market));
        Assert.Equal(10_000m, _upbit.GetBalance("KRW"));
    }
}
