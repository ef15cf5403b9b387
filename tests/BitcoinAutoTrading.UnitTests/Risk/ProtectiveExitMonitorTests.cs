using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class ProtectiveExitMonitorTests
{
    private readonly RiskHarness _h = new();

    public ProtectiveExitMonitorTests() =>
        _h.SetHoldings(price: 94_000_000m, krwAvailable: 0m, btcAvailable: 0.01m);

    [Fact]
    public async Task CheckAsync_PriceAtStopLoss_StartsSellOfWholePositionAndRecordsEvent()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        var order = Assert.Single(_h.Started);
        Assert.Equal(new OrderInstruction(Market, OrderSide.Sell, OrderType.Market, OrderReason.StopLoss, Volume: 0.01m), order);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.StopLoss, 6m, 5m), (stored.Type, stored.TriggerValue, stored.ThresholdValue));
        Assert.StartsWith("sell started", stored.ActionTaken, StringComparison.Ordinal);
        Assert.Contains("STOP_LOSS", Assert.Single(_h.Notifications), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_PriceAtTakeProfit_StartsTakeProfitSell()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 105_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 108_500_000m);

        Assert.Equal(OrderReason.TakeProfit, Assert.Single(_h.Started).Reason);
        Assert.Equal(RiskEventType.TakeProfit, Assert.Single(_h.StoredEvents).Type);
    }

    [Fact]
    public async Task CheckAsync_NewHigh_RaisesPeakWithoutSelling()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 103_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 103_500_000m);

        _h.Positions.Verify(p => p.UpdatePeakAsync(Market, 103_500_000m, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(_h.Started);
    }

    [Fact]
    public async Task CheckAsync_PriceBelowPeak_PeakNotTouched()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 103_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 102_000_000m);

        _h.Positions.Verify(p => p.UpdatePeakAsync(It.IsAny<string>(), It.IsAny<decimal>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.Started);
    }

    [Fact]
    public async Task CheckAsync_PeakTrackedThenPriceFallsByDistance_TrailingStopSells()
    {
        // Minute 1 sets the peak at +3.5 %; the repository then holds it, and minute 2 falls 1.5 % from it.
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 101_000_000m);
        _h.Positions.Setup(p => p.UpdatePeakAsync(Market, It.IsAny<decimal>(), It.IsAny<CancellationToken>()))
            .Callback((string _, decimal price, CancellationToken _) => _h.SetPosition(0.01m, 100_000_000m, price))
            .ReturnsAsync(true);
        var monitor = _h.ExitMonitor();

        await monitor.CheckAsync(Market, 103_500_000m);
        Assert.Empty(_h.Started);
        await monitor.CheckAsync(Market, 101_947_500m);

        var order = Assert.Single(_h.Started);
        Assert.Equal(OrderReason.TrailingStop, order.Reason);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.TrailingStop, 1.5m, 1.5m), (stored.Type, stored.TriggerValue, stored.ThresholdValue));
    }

    [Fact]
    public async Task CheckAsync_FirstCheckWithoutStoredPeak_InitialisesPeak()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: null);

        await _h.ExitMonitor().CheckAsync(Market, 99_000_000m);

        // The entry price is the first peak; a lower price never becomes one.
        _h.Positions.Verify(p => p.UpdatePeakAsync(Market, 100_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CheckAsync_ExitWhileSellInFlight_NoSecondSellNoRepeatedEvent()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        // The exit's own sell from a minute ago (issue #12 made an in-flight entry a different case, below).
        _h.SetActiveOrder(OrderSide.Sell);

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Empty(_h.Started);
        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task CheckAsync_StopLossWhileEntryInFlight_CancelsEntryRecordsDeferralNoSell()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        _h.SetActiveOrder(OrderSide.Buy, exchangeUuid: "entry-uuid");

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Empty(_h.Started);
        _h.Exchange.Verify(e => e.CancelOrderAsync("entry-uuid", It.IsAny<CancellationToken>()), Times.Once);
        var deferred = Assert.Single(_h.StoredEvents);
        Assert.Equal(RiskEventType.StopLoss, deferred.Type);
        Assert.StartsWith("exit deferred: entry order 7 in flight, cancel requested", deferred.ActionTaken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_StopLossWhileEntryNotYetAtTheExchange_NoCancelCallDeferralSaysSo()
    {
        // The entry has no exchange uuid yet (its submission is still under way): there is nothing to cancel.
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        _h.SetActiveOrder(OrderSide.Buy, exchangeUuid: null);

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Empty(_h.Started);
        _h.Exchange.Verify(e => e.CancelOrderAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var deferred = Assert.Single(_h.StoredEvents);
        Assert.Equal("exit deferred: entry order 7 in flight; retried next minute", deferred.ActionTaken);
    }

    [Fact]
    public async Task CheckAsync_EntryCancelRefusedByTheExchange_DeferralRecordedWithoutCancelRequested()
    {
        // Already done or cancelled at the exchange: its orchestration records it and the next minute exits.
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        _h.SetActiveOrder(OrderSide.Buy, exchangeUuid: "entry-uuid");
        _h.Exchange.Setup(e => e.CancelOrderAsync("entry-uuid", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeRejectedException(400, "order_not_found", "order not found"));

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Empty(_h.Started);
        var deferred = Assert.Single(_h.StoredEvents);
        Assert.Equal(RiskEventType.StopLoss, deferred.Type);
        Assert.Equal("exit deferred: entry order 7 in flight; retried next minute", deferred.ActionTaken);
    }

    [Fact]
    public async Task CheckAsync_StarterReportsInFlight_NoEventRecorded()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        _h.Starter.Setup(s => s.StartAsync(It.IsAny<OrderInstruction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderStartResult(OrderStartStatus.AlreadyInFlight, "order-KRW-BTC"));

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task CheckAsync_NoPosition_NothingSoldNoExchangeCall()
    {
        await _h.ExitMonitor().CheckAsync(Market, 50_000_000m);

        Assert.Empty(_h.Started);
        _h.Exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task CheckAsync_DailyLossReached_HaltsAndNotifiesOnce()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -51_000m);
        var monitor = _h.ExitMonitor();

        await monitor.CheckAsync(Market, 100_000_000m);
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -51_000m, halted: true);
        await monitor.CheckAsync(Market, 100_000_000m);

        _h.DailyStats.Verify(d => d.SetHaltAsync(Today, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.DailyLimit, 5.1m, 5m), (stored.Type, stored.TriggerValue, stored.ThresholdValue));
        Assert.Single(_h.Notifications);
    }

    [Fact]
    public async Task R8_TradingHalted_NoEntryOrSignalSellStartsButStopLossSells()
    {
        _h.CurrentSettings = new RiskSettings { TradingEnabled = false };
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -80_000m, halted: true);
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        var executor = _h.Executor();

        var buyNote = await executor.ExecuteAsync(1, Signal(SignalAction.Buy));
        var sellNote = await executor.ExecuteAsync(2, Signal(SignalAction.Sell));
        Assert.Empty(_h.Started);

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Equal("refused: KILL_SWITCH", buyNote);
        Assert.Equal("refused: KILL_SWITCH", sellNote);
        var exit = Assert.Single(_h.Started);
        Assert.Equal((OrderSide.Sell, OrderReason.StopLoss, 0.01m), (exit.Side, exit.Reason, exit.Volume));
    }

    [Fact]
    public async Task R8_DailyHaltOnly_SignalsRefusedAsDailyLimitButStopLossSells()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -80_000m, halted: true);
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);
        var executor = _h.Executor();

        Assert.Equal("refused: DAILY_LIMIT", await executor.ExecuteAsync(1, Signal(SignalAction.Buy)));
        Assert.Equal("refused: DAILY_LIMIT", await executor.ExecuteAsync(2, Signal(SignalAction.Sell)));
        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        Assert.Equal(OrderReason.StopLoss, Assert.Single(_h.Started).Reason);
    }

    internal static SignalResult Signal(SignalAction action, decimal confidence = 0.9m, bool fallback = false) => new(
        Market, 1, action, action == SignalAction.Buy ? 0.7m : action == SignalAction.Sell ? -0.7m : 0m, confidence,
        MarketRegime.Sideways, "{}", "gemini", "gemini-2.5-flash", fallback, 100, 20, 0, 800, 4000, 100_000_000m, 0.8, 0.7, 444, Now);
}
