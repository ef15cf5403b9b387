using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.UnitTests.MarketData;

/// <summary>SPEC §4.6's rule, as EvaluateSignals applies it.</summary>
public sealed class SignalOutcomeTests
{
    [Theory]
    [InlineData(SignalType.Buy, "0.11", true)]
    [InlineData(SignalType.Buy, "0.1", false)]      // a rise that only pays the round-trip fees earned nothing
    [InlineData(SignalType.Buy, "-2", false)]
    [InlineData(SignalType.Sell, "-0.11", true)]
    [InlineData(SignalType.Sell, "-0.1", false)]
    [InlineData(SignalType.Sell, "3", false)]
    [InlineData(SignalType.Hold, "0.99", true)]
    [InlineData(SignalType.Hold, "-0.99", true)]
    [InlineData(SignalType.Hold, "1", false)]
    [InlineData(SignalType.Hold, "-1.5", false)]
    public void IsCorrect_ChangeSinceSignal_JudgedAgainstFeesAndHoldBand(SignalType type, string changePct, bool expected) =>
        Assert.Equal(expected, SignalEvaluator.IsCorrect(type, decimal.Parse(changePct, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ChangePct_PriceRoseByOneFifthOfAPercent_ReturnsPercentRoundedToSixPlaces()
    {
        Assert.Equal(0.2m, SignalEvaluator.ChangePct(100_000_000m, 100_200_000m));
        Assert.Equal(-33.333333m, SignalEvaluator.ChangePct(3m, 2m));
    }
}
