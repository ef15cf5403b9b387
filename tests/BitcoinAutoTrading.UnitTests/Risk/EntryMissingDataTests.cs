using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>Issue 12 item 6 (SPEC §5.3): no entry on missing data; the volatility check fails closed and says why.</summary>
public sealed class EntryMissingDataTests
{
    private readonly RiskHarness _h = new();

    [Fact]
    public async Task EvaluateBuyAsync_NoStoredMinuteInTheLastFiveMinutes_RefusedAsVolatilityHaltBeforeSizing()
    {
        // The collector is down: the window holds nothing.
        _h.MarketData.Setup(m => m.GetHistoryAsync(Market, Now - EntryRules.VolatilityWindow, 5, It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal("refused: VOLATILITY_HALT", decision.Note);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.VolatilityHalt, 0m, 1m, 11L), (stored.Type, stored.TriggerValue, stored.ThresholdValue, stored.SignalId));
        Assert.Contains("no stored minute in the last 5 minutes", stored.DetailsJson, StringComparison.Ordinal);
        _h.Exchange.Verify(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EvaluateBuyAsync_TickerOlderThanAMinute_RefusedAsVolatilityHaltWithItsAge()
    {
        _h.Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 100_000_000m, Now.AddSeconds(-61)));

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.Equal("refused: VOLATILITY_HALT", decision.Note);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.VolatilityHalt, 61m, 60m), (stored.Type, stored.TriggerValue, stored.ThresholdValue));
        Assert.Contains("ticker older than a minute", stored.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateBuyAsync_TickerExactlyAMinuteOldAndMinutesStored_Approved()
    {
        _h.Exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 100_000_000m, Now.AddSeconds(-60)));
        _h.MarketData.Setup(m => m.GetHistoryAsync(Market, Now - EntryRules.VolatilityWindow, 5, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new MarketMinute(1, Market, Now.AddMinutes(-4), 100m, 100m, 100m, 100m, 1m, 1m)]);

        var decision = await _h.Evaluator().EvaluateBuyAsync(Market, 0.9m, signalId: 11);

        Assert.True(decision.Approved);
        Assert.Empty(_h.StoredEvents);
    }
}
