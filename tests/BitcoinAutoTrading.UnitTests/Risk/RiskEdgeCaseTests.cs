using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>What the risk rules read and write at their edges: balances, cooldown clock skew, stored events.</summary>
public sealed class RiskEdgeCaseTests
{
    private readonly RiskHarness _h = new();

    [Fact]
    public async Task ReadAsync_LockedAmountsAndLowerCaseCurrencies_CountTowardsEquity()
    {
        _h.Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Balance("krw", 700_000m, 100_000m, 0m),
            new Balance("ETH", 5m, 0m, 0m),
            new Balance("btc", 0.001m, 0.001m, 90_000_000m),
        ]);
        // A ticker time distinct from the clock: PriceAt is the ticker's own time, not when it was read.
        var tickerAt = Now.AddSeconds(-7);
        _h.Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 100_000_000m, tickerAt));

        var holdings = await _h.Valuation().ReadAsync(Market);

        Assert.Equal(new Holdings(Market, 100_000_000m, 700_000m, 800_000m, 0.001m, 0.002m, tickerAt), holdings);
        Assert.Equal(200_000m, holdings.CoinValueKrw);
        Assert.Equal(1_000_000m, holdings.EquityKrw);
    }

    [Fact]
    public async Task ReadAsync_NoBalances_EverythingZeroButPrice()
    {
        _h.Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var tickerAt = Now.AddSeconds(-7);
        _h.Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 100_000_000m, tickerAt));

        var holdings = await _h.Valuation().ReadAsync(Market);

        // The price and its time (the ticker's) are all that is known without balances.
        Assert.Equal(new Holdings(Market, 100_000_000m, 0m, 0m, 0m, 0m, tickerAt), holdings);
    }

    [Theory]
    [InlineData("KRWBTC")]
    [InlineData("-BTC")]
    [InlineData("KRW-")]
    public async Task ReadAsync_MarketNotQuoteDashBase_ThrowsBeforeAnyExchangeCall(string market)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _h.Valuation().ReadAsync(market));

        Assert.Contains("QUOTE-BASE", error.Message, StringComparison.Ordinal);
        _h.Exchange.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReadAsync_SingleLetterParts_Accepted() =>
        Assert.Equal("A-B", (await new PortfolioValuation(Exchange("A-B")).ReadAsync("A-B")).Market);

    [Fact]
    public async Task RecordAsync_WithoutDetails_StoresNullJsonAndClockTime()
    {
        await _h.Recorder().RecordAsync(RiskEventType.LowConfidence, 0.5m, 0.6m, "entry refused", signalId: 3);

        Assert.Equal(new NewRiskEvent
        {
            Type = RiskEventType.LowConfidence,
            SignalId = 3,
            TriggerValue = 0.5m,
            ThresholdValue = 0.6m,
            ActionTaken = "entry refused",
            DetailsJson = null,
            CreatedAt = Now,
        }, Assert.Single(_h.StoredEvents));
    }

    [Fact]
    public async Task RecordAsync_WithDetails_StoresThemAsJsonAndReturnsId()
    {
        var id = await _h.Recorder().RecordAsync(RiskEventType.Cooldown, 1m, 30m, "entry refused", details: new { lastOrderId = 7 });

        Assert.Equal(1, id);
        Assert.Equal("""{"lastOrderId":7}""", Assert.Single(_h.StoredEvents).DetailsJson);
    }

    [Theory]
    [InlineData(RiskEventType.StopLoss, "STOP_LOSS")]
    [InlineData(RiskEventType.TakeProfit, "TAKE_PROFIT")]
    [InlineData(RiskEventType.TrailingStop, "TRAILING_STOP")]
    [InlineData(RiskEventType.DailyLimit, "DAILY_LIMIT")]
    [InlineData(RiskEventType.PositionLimit, "POSITION_LIMIT")]
    [InlineData(RiskEventType.VolatilityHalt, "VOLATILITY_HALT")]
    [InlineData(RiskEventType.LowConfidence, "LOW_CONFIDENCE")]
    [InlineData(RiskEventType.Cooldown, "COOLDOWN")]
    [InlineData(RiskEventType.KillSwitch, "KILL_SWITCH")]
    [InlineData(RiskEventType.SystemError, "SYSTEM_ERROR")]
    public void ToWire_EveryType_SpecName(RiskEventType type, string expected) =>
        Assert.Equal(expected, type.ToWire());

    [Fact]
    public void ToWire_UnknownType_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((RiskEventType)99).ToWire());

    [Fact]
    public async Task EvaluateBuyAsync_LastOrderStampedInTheFuture_CooldownTriggerIsZeroNotNegative()
    {
        _h.SetLastOrder(Now.AddMinutes(2));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal(RiskEventType.Cooldown, decision.RefusedBy);
        Assert.Equal((0m, 30m), (Assert.Single(_h.StoredEvents).TriggerValue, _h.StoredEvents[0].ThresholdValue));
    }

    [Fact]
    public async Task EvaluateBuyAsync_CooldownMinutesSinceRoundedToTwoDecimals()
    {
        _h.SetLastOrder(Now.AddSeconds(-100));

        await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        // 100 s = 1.666… minutes.
        Assert.Equal(1.67m, Assert.Single(_h.StoredEvents).TriggerValue);
    }

    [Fact]
    public async Task EvaluateBuyAsync_CooldownOff_LastOrderNotEvenRead()
    {
        _h.CurrentSettings = new RiskSettings { TradeCooldownMinutes = 0 };
        _h.SetLastOrder(Now.AddSeconds(-1));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
        _h.Orders.Verify(o => o.GetLatestAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EvaluateBuyAsync_LowConfidence_EventLinkedWithoutDetails()
    {
        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.5999m, signalId: 11);

        Assert.Equal(EntryDecision.Refused(RiskEventType.LowConfidence), decision);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((0.5999m, 0.6m, "entry refused", (string?)null), (stored.TriggerValue, stored.ThresholdValue, stored.ActionTaken, stored.DetailsJson));
    }

    [Fact]
    public async Task EvaluateSellAsync_PositionWorthExactly5000_SellsIt()
    {
        _h.SetHoldings(price: 50_000_000m, krwAvailable: 0m, btcAvailable: 0.0001m);
        _h.SetPosition(quantity: 0.0001m, avgEntryPrice: 40_000_000m);

        Assert.Equal(EntryDecision.Sell(0.0001m), await _h.Evaluator().EvaluateSellAsync(Market, signalId: 5));
    }

    [Fact]
    public async Task EvaluateSellAsync_KillSwitch_EventSaysSignalSellRefused()
    {
        _h.CurrentSettings = new RiskSettings { TradingEnabled = false };
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 40_000_000m);

        await _h.Evaluator().EvaluateSellAsync(Market, signalId: 5);

        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.KillSwitch, "signal sell refused", 5L), (stored.Type, stored.ActionTaken, stored.SignalId));
        Assert.Equal("""{"reason":"trading_enabled is false"}""", stored.DetailsJson);
    }

    [Fact]
    public void SellableVolume_TruncatedToEightDecimalsAndCappedByExchange()
    {
        var position = new Position(Market, 0.123456789m, 1m, 0m, null, Now, Now);

        Assert.Equal(0.12345678m, EntryRules.SellableVolume(position, new Holdings(Market, 1m, 0m, 0m, 1m, 1m)));
        Assert.Equal(0.1m, EntryRules.SellableVolume(position, new Holdings(Market, 1m, 0m, 0m, 0.1m, 0.2m)));
        Assert.Throws<ArgumentNullException>(() => EntryRules.SellableVolume(null!, new Holdings(Market, 1m, 0m, 0m, 1m, 1m)));
        Assert.Throws<ArgumentNullException>(() => EntryRules.SellableVolume(position, null!));
    }

    [Fact]
    public async Task CheckAsync_ExitSell_NotificationNamesTheRuleThePricesAndTheVolume()
    {
        _h.SetHoldings(price: 94_000_000m, krwAvailable: 0m, btcAvailable: 0.01m);
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: 100_000_000m);

        await _h.ExitMonitor().CheckAsync(Market, 94_000_000m);

        var message = Assert.Single(_h.Notifications);
        Assert.StartsWith("STOP_LOSS on KRW-BTC: price 94000000 vs entry 100000000 (6", message, StringComparison.Ordinal);
        Assert.EndsWith("% against 5%); selling 0.01 KRW-BTC.", message, StringComparison.Ordinal);
        Assert.Equal("sell started (order-KRW-BTC)", Assert.Single(_h.StoredEvents).ActionTaken);
        Assert.Contains("\"peak\":100000000", _h.StoredEvents[0].DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_PeakNeverStoredAndPriceBelowEntry_PeakStartsAtEntry()
    {
        _h.SetPosition(quantity: 0.01m, avgEntryPrice: 100_000_000m, peak: null);

        await _h.ExitMonitor().CheckAsync(Market, 99_000_000m);

        _h.Positions.Verify(p => p.UpdatePeakAsync(Market, 100_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CheckAsync_NoMarket_Throws() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _h.ExitMonitor().CheckAsync(" ", 1m));

    private static IExchange Exchange(string market)
    {
        var exchange = new Mock<IExchange>();
        exchange.Setup(e => e.GetTickerAsync(market, It.IsAny<CancellationToken>())).ReturnsAsync(new Ticker(market, 1m, Now));
        exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        return exchange.Object;
    }
}
