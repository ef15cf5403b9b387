using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>Every risk rule exactly at its threshold, one unit either side, and the degenerate inputs that must not trade.</summary>
public sealed class RiskThresholdTests
{
    private const decimal Entry = 100_000_000m;
    private static readonly RiskSettings Defaults = new();
    private readonly RiskHarness _h = new();

    [Fact]
    public void Evaluate_PeakExactlyThreePercentUpThenFallsDistance_TrailingStopArmedAndFires()
    {
        // Peak 103,000,000 = +3 % exactly; 103,000,000 × (1 − 1.5 %) = 101,455,000.
        var trigger = ExitRules.Evaluate(Entry, 103_000_000m, 101_455_000m, Defaults);

        Assert.Equal(new ExitTrigger(OrderReason.TrailingStop, RiskEventType.TrailingStop, 1.5m, 1.5m), trigger);
    }

    [Fact]
    public void Evaluate_PeakJustUnderThreePercent_TrailingStopNotArmed() =>
        Assert.Null(ExitRules.Evaluate(Entry, 102_999_999m, 101_000_000m, Defaults));

    [Fact]
    public void Evaluate_ArmedButPriceOneWonAboveTrail_Nothing() =>
        Assert.Null(ExitRules.Evaluate(Entry, 103_000_000m, 101_455_001m, Defaults));

    [Fact]
    public void Evaluate_TrailingStop_TriggerIsFallFromPeakRoundedToFourDecimals()
    {
        var trigger = ExitRules.Evaluate(Entry, 107_000_000m, 105_000_000m, Defaults)!;

        // (107 − 105) / 107 = 1.86915…% → 1.8692.
        Assert.Equal((OrderReason.TrailingStop, 1.8692m), (trigger.Reason, trigger.TriggerPct));
    }

    [Fact]
    public void Evaluate_TakeProfitExactly_TriggerIsGainAgainstThreshold() =>
        Assert.Equal(new ExitTrigger(OrderReason.TakeProfit, RiskEventType.TakeProfit, 8m, 8m),
            ExitRules.Evaluate(Entry, 108_000_000m, 108_000_000m, Defaults));

    [Fact]
    public void Evaluate_StopLoss_TriggerRoundedToFourDecimals() =>
        // (100,000,000 − 94,123,456.78) / 100,000,000 = 5.8765432…% → 5.8765.
        Assert.Equal(5.8765m, ExitRules.Evaluate(Entry, Entry, 94_123_456.78m, Defaults)!.TriggerPct);

    [Fact]
    public void Evaluate_CustomSettings_UsesThem()
    {
        var tight = new RiskSettings { StopLossPct = 1m, TakeProfitPct = 2m, TrailingStopActivationPct = 1m, TrailingStopDistancePct = 0.5m };

        Assert.Equal(OrderReason.StopLoss, ExitRules.Evaluate(Entry, Entry, 99_000_000m, tight)?.Reason);
        Assert.Null(ExitRules.Evaluate(Entry, Entry, 99_000_001m, tight));
        Assert.Equal(OrderReason.TakeProfit, ExitRules.Evaluate(Entry, Entry, 102_000_000m, tight)?.Reason);
        Assert.Null(ExitRules.Evaluate(Entry, 101_999_999m, 101_999_999m, tight));
        // Armed at +1 %: 101,000,000 × 0.995 = 100,495,000.
        Assert.Equal(OrderReason.TrailingStop, ExitRules.Evaluate(Entry, 101_000_000m, 100_495_000m, tight)?.Reason);
        Assert.Null(ExitRules.Evaluate(Entry, 100_999_999m, 100_000_000m, tight));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Evaluate_ZeroOrNegativePrice_NeverAStopLoss(int price) =>
        Assert.Null(ExitRules.Evaluate(Entry, Entry, price, Defaults));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Evaluate_NoEntryPrice_Nothing(int avgEntry) =>
        Assert.Null(ExitRules.Evaluate(avgEntry, Entry, 1m, Defaults));

    [Fact]
    public void Evaluate_NullSettings_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ExitRules.Evaluate(Entry, Entry, Entry, null!));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task CheckAsync_ZeroOrNegativeLastPrice_NoSellAndPeakUntouched(int lastPrice)
    {
        _h.SetHoldings(price: 90_000_000m, krwAvailable: 0m, btcAvailable: 0.01m);
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: Entry, peak: null);

        await _h.ExitMonitor().CheckAsync(Market, lastPrice);

        Assert.Empty(_h.Started);
        Assert.Empty(_h.StoredEvents);
        _h.Positions.Verify(p => p.UpdatePeakAsync(It.IsAny<string>(), It.IsAny<decimal>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CheckAsync_PriceEqualsStoredPeak_PeakNotRewritten()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: Entry, peak: 102_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 102_000_000m);

        _h.Positions.Verify(p => p.UpdatePeakAsync(It.IsAny<string>(), It.IsAny<decimal>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CheckAsync_StopLossWorthUnderTheMinimum_NoSellNoEvent()
    {
        // 0.00005263 BTC at 95,000,000 = 4,999.85 KRW: the exchange would refuse it.
        _h.SetHoldings(price: 95_000_000m, krwAvailable: 0m, btcAvailable: 0.00005263m);
        _h.SetPosition(quantity: 0.00005263m, avgEntryPrice: Entry, peak: Entry);

        await _h.ExitMonitor().CheckAsync(Market, 95_000_000m);

        Assert.Empty(_h.Started);
        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task CheckAsync_StopLossSellAtExactly5000Krw_Sells()
    {
        // 0.0001 BTC × 50,000,000 = 5,000 KRW exactly: at the minimum is allowed.
        _h.SetHoldings(price: 50_000_000m, krwAvailable: 0m, btcAvailable: 0.0001m);
        _h.SetPosition(quantity: 0.0001m, avgEntryPrice: Entry, peak: Entry);

        await _h.ExitMonitor().CheckAsync(Market, 50_000_000m);

        Assert.Single(_h.Started);
    }

    [Fact]
    public async Task EvaluateBuyAsync_FiveMinuteRangeExactlyAtThreshold_RefusedAsVolatilityHalt()
    {
        // (103,000,000 − 100,000,000) / 100,000,000 = 3 % exactly.
        _h.SetMinutes((103_000_000m, 100_000_000m));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.VolatilityHalt, decision.RefusedBy);
        Assert.Equal((3m, 3m), (Assert.Single(_h.StoredEvents).TriggerValue, _h.StoredEvents[0].ThresholdValue));
    }

    [Fact]
    public void VolatilityRangePct_SeveralMinutes_HighestHighOverLowestLow()
    {
        var minutes = new[] { Minute(101m, 99m), Minute(104m, 100m), Minute(102m, 100.5m) };

        // (104 − 99) / 99 = 5.0505…%.
        Assert.Equal(5m / 99m * 100m, EntryRules.VolatilityRangePct(minutes));
    }

    [Fact]
    public void VolatilityRangePct_NoMinutesOrZeroLow_Null()
    {
        Assert.Null(EntryRules.VolatilityRangePct([]));
        Assert.Null(EntryRules.VolatilityRangePct([Minute(100m, 0m)]));
    }

    [Fact]
    public async Task EvaluateBuyAsync_SizedToExactly5000Krw_Approved()
    {
        // 50,000 KRW equity at the 10 % minimum share (confidence 0 clamps to it, min confidence 0) = 5,000 KRW.
        _h.CurrentSettings = new RiskSettings { MinConfidence = 0m };
        _h.SetHoldings(price: Entry, krwAvailable: 50_000m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0m, signalId: 11);

        Assert.Equal(EntryDecision.Buy(5_000m), decision);
    }

    [Fact]
    public async Task EvaluateBuyAsync_SizedTo4999Krw_RefusedAsPositionLimitWithTheReason()
    {
        _h.CurrentSettings = new RiskSettings { MinConfidence = 0m };
        _h.SetHoldings(price: Entry, krwAvailable: 49_999m);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0m, signalId: 11);

        Assert.Equal(EntryDecision.Refused(RiskEventType.PositionLimit), decision);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((4_999m, 5_000m), (stored.TriggerValue, stored.ThresholdValue));
        Assert.Contains("below the exchange minimum", stored.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void SizeBuy_NegativeConfidence_ClampedToMinimumShare() =>
        Assert.Equal(100_000m, PositionSizing.SizeBuy(new Holdings(Market, Entry, 1_000_000m, 1_000_000m, 0m, 0m), -0.5m, Defaults).OrderKrw);

    [Fact]
    public void SizeBuy_CashCoversOrderPlusFee_AffordableIsCashOverOnePlusFee()
    {
        var sizing = PositionSizing.SizeBuy(new Holdings(Market, Entry, 100_050m, 1_000_000m, 0m, 0m), 1m, Defaults);

        Assert.Equal(100_000m, sizing.AffordableKrw);
        Assert.Equal(100_000m, sizing.OrderKrw);
    }

    [Fact]
    public void SizeBuy_CoinWorthMoreThanExposureLimit_NoRoomNotNegative()
    {
        // 600,000 of 1,000,000 equity in coin against a 50 % limit.
        var sizing = PositionSizing.SizeBuy(new Holdings(Market, Entry, 400_000m, 400_000m, 0.006m, 0.006m), 1m, Defaults);

        Assert.Equal(0m, sizing.ExposureRoomKrw);
        Assert.Equal(0m, sizing.OrderKrw);
        Assert.Equal("max exposure reached", sizing.Shortfall);
    }

    [Fact]
    public void SizeBuy_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PositionSizing.SizeBuy(null!, 1m, Defaults));
        Assert.Throws<ArgumentNullException>(() => PositionSizing.SizeBuy(new Holdings(Market, Entry, 0m, 0m, 0m, 0m), 1m, null!));
    }

    [Theory]
    [InlineData(5_000, 5_000, 5_000, 5_000, null)]
    [InlineData(4_999, 5_000, 5_000, 4_999, "below the exchange minimum")]
    [InlineData(10_000, 4_999, 10_000, 4_999, "max exposure reached")]
    [InlineData(10_000, 5_000, 4_999, 4_999, "not enough KRW after fee")]
    public void Shortfall_EachLimitAtTheMinimum_NamesTheOneThatBound(int target, int room, int affordable, int order, string? expected)
    {
        var sizing = new BuySizing(target, room, affordable, order);

        Assert.Equal(expected is null, sizing.MeetsMinimum);
        Assert.Equal(expected, sizing.Shortfall);
    }

    private static MarketMinute Minute(decimal high, decimal low) => new(1, Market, Now, low, high, low, high, 1m, 1m);
}
