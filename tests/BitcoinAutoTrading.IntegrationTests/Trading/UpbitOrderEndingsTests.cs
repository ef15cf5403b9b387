using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Upbit's real order endings and fees (issue #12 item 5, SPEC §6, §8.1) through the real orchestrator in the Durable
/// in-process host, the app's composition in Live mode, PostgreSQL, and the Upbit client over HTTP to the fake.
/// </summary>
public sealed class UpbitOrderEndingsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly RecordingNotifier _notifier = new();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit, configure: s => s.AddSingleton<INotifier>(_notifier));
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
    public async Task Run_MarketBuyEndsCancelWithOnlyDustLeft_ExecutedInRecordNotificationAndApi()
    {
        OrderExecutionTestHost.Seed(_upbit);
        // 97,000 of 100,000 KRW bought; Upbit closes the order as cancel because 3,000 KRW cannot buy anything.
        _upbit.MarketBuyDustKrw = 3_000m;
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m), Timeout);

        Assert.Equal("cancel", Assert.Single(_upbit.Orders).State);
        Assert.Equal(OrderStatus.Executed, outcome.Status);
        var order = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.Executed, order!.Status);
        Assert.Equal(97_000m, order.ExecutedFundsKrw);
        Assert.Equal("EXECUTED", OrderResponse.From(order).Status);
        var sent = Assert.Single(_notifier.Sent, n => n.Message.Contains($"Order {outcome.OrderId} ", StringComparison.Ordinal));
        Assert.Contains("EXECUTED", sent.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PARTIALLY", sent.Message, StringComparison.Ordinal);
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
    }

    [Fact]
    public async Task Run_OrderEndsInUnknownStatePrevented_CompletesFinalWithWhatExecuted()
    {
        OrderExecutionTestHost.Seed(_upbit);
        // Self-match prevention: Upbit stops the order as "prevented" after half of it traded.
        _upbit.UnusualEndState = "prevented";
        _upbit.UnusualEndFillFraction = 0.5m;
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m), Timeout);

        Assert.Equal(OrderStatus.PartiallyExecuted, outcome.Status);
        var order = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.PartiallyExecuted, order!.Status);
        Assert.Equal(0.0005m, order.ExecutedVolume);
        Assert.NotNull(order.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.0005m, position!.Quantity);
    }

    [Fact]
    public async Task SubmitOrderAsync_NewOrder_LooksUpIdentifierOnceBeforeThePost()
    {
        OrderExecutionTestHost.Seed(_upbit);
        var orderId = await Steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
            OrderExecutionTestHost.Buy(100_000m).Instruction, $"bat-{Guid.NewGuid():N}"));

        var result = await Steps.SubmitOrderAsync(orderId);

        Assert.True(result.Accepted);
        var calls = _upbit.Requests.Select(r => r.Endpoint).Where(e => e is UpbitEndpoint.GetOrder or UpbitEndpoint.PlaceOrder).ToList();
        Assert.Equal([UpbitEndpoint.GetOrder, UpbitEndpoint.PlaceOrder], calls);
        Assert.Contains("identifier=", _upbit.Requests.Single(r => r.Endpoint == UpbitEndpoint.GetOrder).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadForBuyAsync_LiveMode_SizesWithOrdersChanceBidFeeReadOnce()
    {
        OrderExecutionTestHost.Seed(_upbit, krw: 10_000m);
        _upbit.FeeRate = 0.0025m;
        var valuation = _app.Services.GetRequiredService<PortfolioValuation>();

        var holdings = await valuation.ReadForBuyAsync(OrderExecutionTestHost.Market);
        var sizing = PositionSizing.SizeBuy(holdings, 1m, new RiskSettings { MaxExposurePct = 100m, PositionSizeMaxPct = 100m });
        await valuation.ReadForBuyAsync(OrderExecutionTestHost.Market);

        Assert.Equal(0.0025m, holdings.BidFeeRate);
        // 10,000 / 1.0025 = 9,975.06: the fee reserve the account really pays (the old constant 0.05 % gave 9,995).
        Assert.Equal(9_975m, sizing.OrderKrw);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.OrderChance));
    }
}
