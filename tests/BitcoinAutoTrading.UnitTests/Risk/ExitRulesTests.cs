using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class ExitRulesTests
{
    private static readonly RiskSettings Defaults = new();

    [Theory]
    [InlineData(95_000_000, OrderReason.StopLoss)]          // exactly −5 %
    [InlineData(94_000_000, OrderReason.StopLoss)]
    [InlineData(108_000_000, OrderReason.TakeProfit)]       // exactly +8 %
    [InlineData(110_000_000, OrderReason.TakeProfit)]
    public void Evaluate_PriceAtOrBeyondLimit_Fires(int price, OrderReason expected)
    {
        var trigger = ExitRules.Evaluate(100_000_000m, Math.Max(100_000_000m, price), price, Defaults);

        Assert.Equal(expected, trigger?.Reason);
    }

    [Theory]
    [InlineData(95_000_001)]
    [InlineData(107_999_999)]
    public void Evaluate_PriceInsideLimits_Nothing(int price) =>
        Assert.Null(ExitRules.Evaluate(100_000_000m, 100_000_000m, price, Defaults));

    [Fact]
    public void Evaluate_StopLoss_TriggerIsLossPercent()
    {
        var trigger = ExitRules.Evaluate(100_000_000m, 100_000_000m, 94_999_000m, Defaults)!;

        Assert.Equal((RiskEventType.StopLoss, 5.001m, 5m), (trigger.EventType, trigger.TriggerPct, trigger.ThresholdPct));
    }

    [Fact]
    public void Evaluate_PeakActivatedAndPriceFellDistance_TrailingStop()
    {
        // Peak +4 % (activation 3 %); 104,000,000 × (1 − 1.5 %) = 102,440,000.
        var trigger = ExitRules.Evaluate(100_000_000m, 104_000_000m, 102_440_000m, Defaults)!;

        Assert.Equal(OrderReason.TrailingStop, trigger.Reason);
        Assert.Equal(1.5m, trigger.TriggerPct);
        Assert.Equal(1.5m, trigger.ThresholdPct);
    }

    [Fact]
    public void Evaluate_PeakActivatedPriceAboveTrail_Nothing() =>
        Assert.Null(ExitRules.Evaluate(100_000_000m, 104_000_000m, 102_450_000m, Defaults));

    [Fact]
    public void Evaluate_PeakBelowActivation_NoTrailingStopEvenAfterFall() =>
        // Peak +2.9 %: the trail is not armed, so a 2 % fall from it is just noise.
        Assert.Null(ExitRules.Evaluate(100_000_000m, 102_900_000m, 100_800_000m, Defaults));

    [Fact]
    public void Evaluate_PriceUnderStopAndTrail_StopLossWins()
    {
        var trigger = ExitRules.Evaluate(100_000_000m, 106_000_000m, 94_000_000m, Defaults)!;

        Assert.Equal(OrderReason.StopLoss, trigger.Reason);
    }
}
