using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Decision;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class SignalDecisionTests
{
    [Theory]
    [InlineData("0.30", SignalAction.Buy)]
    [InlineData("0.9", SignalAction.Buy)]
    [InlineData("0.2999", SignalAction.Hold)]
    [InlineData("0", SignalAction.Hold)]
    [InlineData("-0.1999", SignalAction.Hold)]
    [InlineData("-0.20", SignalAction.Sell)]
    [InlineData("-1", SignalAction.Sell)]
    public void Decide_DefaultThresholds_BoundariesInclusive(string score, SignalAction expected)
    {
        Assert.Equal(expected, SignalDecision.Decide(decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture), DecisionThresholds.Default));
    }

    [Fact]
    public void Decide_CustomThresholds_AreUsed()
    {
        var thresholds = new DecisionThresholds(0.5m, -0.5m);

        Assert.Equal(SignalAction.Hold, SignalDecision.Decide(0.45m, thresholds));
        Assert.Equal(SignalAction.Buy, SignalDecision.Decide(0.5m, thresholds));
        Assert.Equal(SignalAction.Hold, SignalDecision.Decide(-0.3m, thresholds));
    }

    [Fact]
    public void Confidence_Formula_IsSpecExact()
    {
        // 0.5·0.6 + 0.3·0.75 + 0.2·0.5 = 0.3 + 0.225 + 0.1
        Assert.Equal(0.625m, SignalDecision.Confidence(-0.6m, 0.75, 0.5));
        Assert.Equal(0.2m, SignalDecision.Confidence(0m, 0, 1));
    }

    [Fact]
    public void Confidence_LargeInputs_CappedAtOne()
    {
        Assert.Equal(1m, SignalDecision.Confidence(1m, 1, 1));
    }

    [Theory]
    [InlineData(0, -0.2)]
    [InlineData(0.3, 0)]
    [InlineData(1.1, -0.2)]
    [InlineData(0.3, -1.1)]
    public void DecisionThresholds_OutOfRange_Rejected(double buy, double sell)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionThresholds((decimal)buy, (decimal)sell));
    }

    [Fact]
    public void ToStoredScore_RoundsBeforeDeciding()
    {
        // 0.29996 is stored as 0.3000, so the decision must be the one the stored score implies: BUY.
        var stored = SignalDecision.ToStoredScore(0.29996);

        Assert.Equal(0.3m, stored);
        Assert.Equal(SignalAction.Buy, SignalDecision.Decide(stored, DecisionThresholds.Default));
    }
}
