using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.ProtectiveExitMonitorTests;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class SignalExecutorTests
{
    private readonly RiskHarness _h = new();

    [Fact]
    public async Task ExecuteAsync_Hold_NoteHoldAndNothingChecked()
    {
        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Hold));

        Assert.Equal("hold", note);
        _h.Settings.VerifyNoOtherCalls();
        _h.Starter.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ExecuteAsync_FallbackBuy_NeverTrades()
    {
        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Buy, fallback: true));

        Assert.Equal("skipped: fallback signal", note);
        _h.Starter.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ExecuteAsync_ApprovedBuy_StartsMarketBuyForSizedKrw()
    {
        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Buy, confidence: 0.8m));

        Assert.Equal("order started", note);
        Assert.Equal(
            new OrderInstruction(Market, OrderSide.Buy, OrderType.Price, OrderReason.Signal, Krw: 220_000m, SignalId: 5),
            Assert.Single(_h.Started));
    }

    [Fact]
    public async Task ExecuteAsync_ApprovedSell_StartsMarketSellOfWholePosition()
    {
        _h.SetPosition(quantity: 0.0123m, avgEntryPrice: 90_000_000m);
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 0m, btcAvailable: 0.0123m);

        var note = await _h.Executor().ExecuteAsync(6, Signal(SignalAction.Sell));

        Assert.Equal("order started", note);
        Assert.Equal(
            new OrderInstruction(Market, OrderSide.Sell, OrderType.Market, OrderReason.Signal, Volume: 0.0123m, SignalId: 6),
            Assert.Single(_h.Started));
    }

    [Fact]
    public async Task ExecuteAsync_OrderAlreadyActive_SkippedWithoutRiskEvent()
    {
        _h.SetActiveOrder();

        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Buy));

        Assert.Equal("skipped: order in flight", note);
        Assert.Empty(_h.StoredEvents);
        _h.Starter.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ExecuteAsync_StarterFindsOrderInFlight_NoteSkipped()
    {
        _h.Starter.Setup(s => s.StartAsync(It.IsAny<OrderInstruction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderStartResult(OrderStartStatus.AlreadyInFlight, "order-KRW-BTC"));

        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Buy));

        Assert.Equal("skipped: order in flight", note);
    }

    [Fact]
    public async Task ExecuteAsync_LowConfidenceBuy_RefusedWithEventLinkedToSignal()
    {
        var note = await _h.Executor().ExecuteAsync(9, Signal(SignalAction.Buy, confidence: 0.4m));

        Assert.Equal("refused: LOW_CONFIDENCE", note);
        Assert.Equal(9, Assert.Single(_h.StoredEvents).SignalId);
        _h.Starter.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ExecuteAsync_SellWithoutPosition_Skipped()
    {
        var note = await _h.Executor().ExecuteAsync(5, Signal(SignalAction.Sell));

        Assert.Equal("skipped: no position to sell", note);
        Assert.Empty(_h.Started);
    }
}
