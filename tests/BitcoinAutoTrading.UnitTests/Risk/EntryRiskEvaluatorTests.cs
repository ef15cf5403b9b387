using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class EntryRiskEvaluatorTests
{
    private readonly RiskHarness _h = new();

    [Fact]
    public async Task EvaluateBuyAsync_AllChecksPass_ApprovesSizedAmountWithoutRiskEvent()
    {
        _h.SetLastOrder(Now.AddMinutes(-31));
        _h.SetMinutes((100_500_000m, 99_800_000m), (100_200_000m, 99_900_000m));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.8m, signalId: 11);

        // 1,000,000 KRW equity × (10 + 15 × 0.8) % = 220,000 KRW.
        Assert.True(decision.Approved);
        Assert.Equal(220_000m, decision.Krw);
        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task EvaluateBuyAsync_TradingDisabled_RefusedAsKillSwitchBeforeAnyExchangeCall()
    {
        _h.CurrentSettings = new RiskSettings { TradingEnabled = false };

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal("refused: KILL_SWITCH", decision.Note);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal(RiskEventType.KillSwitch, stored.Type);
        Assert.Equal(0m, stored.TriggerValue);
        Assert.Equal(11, stored.SignalId);
        _h.Exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EvaluateBuyAsync_DayHalted_RefusedWithTodaysLossAsTrigger()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -60_000m, halted: true);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.DailyLimit, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.DailyLimit, 6m, 5m, "entry refused"), (stored.Type, stored.TriggerValue, stored.ThresholdValue, stored.ActionTaken));
        Assert.Empty(_h.Notifications);
    }

    [Fact]
    public async Task EvaluateBuyAsync_LossReachedButNotYetHalted_HaltsDayNotifiesAndRefuses()
    {
        _h.SetDay(startingEquity: 2_000_000m, realizedPnl: -100_000m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.DailyLimit, decision.RefusedBy);
        _h.DailyStats.Verify(d => d.SetHaltAsync(Today, It.Is<string>(r => r.Contains("5%")), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(["trading halted for the KST day", "entry refused"], _h.StoredEvents.Select(e => e.ActionTaken));
        Assert.All(_h.StoredEvents, e => Assert.Equal(5m, e.TriggerValue));
        Assert.Single(_h.Notifications);
    }

    [Fact]
    public async Task EvaluateBuyAsync_ConfidenceBelowMinimum_RefusedWithConfidenceAsTrigger()
    {
        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.55m, signalId: 11);

        Assert.Equal("refused: LOW_CONFIDENCE", decision.Note);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.LowConfidence, 0.55m, 0.6m), (stored.Type, stored.TriggerValue, stored.ThresholdValue));
    }

    [Fact]
    public async Task EvaluateBuyAsync_ConfidenceExactlyMinimum_Approved()
    {
        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.6m, signalId: 11);

        // (10 + 15 × 0.6) % of 1,000,000 = 190,000.
        Assert.Equal(190_000m, decision.Krw);
    }

    [Fact]
    public async Task EvaluateBuyAsync_LastOrderTenMinutesAgo_RefusedAsCooldownWithMinutesSince()
    {
        _h.SetLastOrder(Now.AddMinutes(-10));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.Cooldown, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((10m, 30m), (stored.TriggerValue, stored.ThresholdValue));
    }

    [Fact]
    public async Task EvaluateBuyAsync_LastOrderExactlyCooldownAgo_Approved()
    {
        _h.SetLastOrder(Now.AddMinutes(-30));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
    }

    [Fact]
    public async Task EvaluateBuyAsync_FiveMinuteRangeAboveThreshold_RefusedAsVolatilityHalt()
    {
        // Highest high 103,200,000 over lowest low 100,000,000: a 3.2 % range.
        _h.SetMinutes((101_000_000m, 100_000_000m), (103_200_000m, 101_500_000m), (102_000_000m, 101_000_000m));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.VolatilityHalt, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((3.2m, 3m), (stored.TriggerValue, stored.ThresholdValue));
    }

    [Fact]
    public async Task EvaluateBuyAsync_FiveMinuteRangeBelowThreshold_Approved()
    {
        _h.SetMinutes((102_900_000m, 100_000_000m));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
    }

    [Fact]
    public async Task EvaluateBuyAsync_PositionNearExposureLimit_OrderCappedToRoomLeft()
    {
        // 600,000 KRW + 0.004 BTC × 100,000,000 = 1,000,000 equity; 50 % exposure leaves 100,000 KRW of room.
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 600_000m, btcAvailable: 0.004m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 1m, signalId: 11);

        Assert.Equal(100_000m, decision.Krw);
    }

    [Fact]
    public async Task EvaluateBuyAsync_ExposureFull_RefusedAsPositionLimit()
    {
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 500_000m, btcAvailable: 0.004m, btcLocked: 0.001m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 1m, signalId: 11);

        Assert.Equal(RiskEventType.PositionLimit, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((0m, KrwOrderRules.MinimumOrderKrw), (stored.TriggerValue, stored.ThresholdValue));
        Assert.Contains("max exposure reached", stored.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateBuyAsync_KrwAfterFeeUnderMinimum_RefusedAsPositionLimit()
    {
        // Equity 1,000,000 but only 5,002 KRW free: 5,002 / 1.0005 = 4,999.5 → 4,999 KRW, under the minimum.
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 5_002m, krwLocked: 994_998m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.PositionLimit, decision.RefusedBy);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal(4_999m, stored.TriggerValue);
        Assert.Contains("not enough KRW after fee", stored.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateBuyAsync_KrwLimitsOrder_SpendsWhatRemainsAfterFee()
    {
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 100_050m, krwLocked: 899_950m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        // 100,050 / 1.0005 = 100,000 exactly: the order plus its 0.05 % fee uses all free KRW.
        Assert.Equal(100_000m, decision.Krw);
    }

    [Fact]
    public async Task EvaluateSellAsync_OpenPosition_SellsWholePosition()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 90_000_000m);
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 0m, btcAvailable: 0.01m);

        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.Equal(0.01m, decision.Volume);
        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task EvaluateSellAsync_ExchangeHoldsLessThanBooks_SellsWhatTheExchangeHas()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 90_000_000m);
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 0m, btcAvailable: 0.008m);

        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.Equal(0.008m, decision.Volume);
    }

    [Fact]
    public async Task EvaluateSellAsync_PositionWorthUnderMinimum_Skipped()
    {
        _h.SetPosition(quantity: 0.00004m, avgEntryPrice: 90_000_000m);
        _h.SetHoldings(price: 100_000_000m, krwAvailable: 0m, btcAvailable: 0.00004m);

        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.False(decision.Approved);
        Assert.Equal("skipped: position worth under 5000 KRW", decision.Note);
    }

    [Fact]
    public async Task EvaluateSellAsync_NoPosition_SkippedWithoutExchangeCall()
    {
        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.Equal("skipped: no position to sell", decision.Note);
        _h.Exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EvaluateSellAsync_DayHalted_RefusedAsDailyLimit()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -50_000m, halted: true);
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 90_000_000m);

        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.Equal("refused: DAILY_LIMIT", decision.Note);
        Assert.Equal("signal sell refused", Assert.Single(_h.StoredEvents).ActionTaken);
    }

    [Fact]
    public async Task EvaluateSellAsync_TradingDisabled_RefusedAsKillSwitch()
    {
        _h.CurrentSettings = new RiskSettings { TradingEnabled = false };
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 90_000_000m);

        var decision = await _h.Evaluator().EvaluateSellAsync(Market, signalId: 11);

        Assert.Equal(RiskEventType.KillSwitch, decision.RefusedBy);
        _h.Notifier.Verify(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
