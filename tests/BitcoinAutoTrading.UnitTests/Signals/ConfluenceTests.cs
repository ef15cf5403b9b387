using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class ConfluenceTests
{
    [Fact]
    public void Analyze_EveryTimeframeRising_BullishWithFullAgreement()
    {
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));

        Assert.All(analysis.Timeframes, t => Assert.Equal(Direction.Bullish, t.Direction));
        Assert.All(analysis.Timeframes, t => Assert.All(t.Votes.All, v => Assert.Equal(Direction.Bullish, v)));
        Assert.Equal(1.0, analysis.ConfluenceScore, 12);
        Assert.Equal(Direction.Bullish, analysis.Bias);
        Assert.Equal(1.0, analysis.TimeframeAgreement, 12);
        Assert.Equal(1.0, Confluence.IndicatorAgreement(analysis.Timeframes, Direction.Bullish), 12);
        Assert.Equal(0.0, Confluence.IndicatorAgreement(analysis.Timeframes, Direction.Bearish), 12);
    }

    [Fact]
    public void Analyze_EveryTimeframeFalling_BearishWithFullAgreement()
    {
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, -0.01));

        Assert.Equal(-1.0, analysis.ConfluenceScore, 12);
        Assert.Equal(Direction.Bearish, analysis.Bias);
        Assert.Equal(1.0, analysis.TimeframeAgreement, 12);
    }

    [Fact]
    public void Combine_MixedTimeframes_WeighsLongerTimeframesMore()
    {
        // 1h bullish (w 1), 4h bearish (w 1.5), 1d neutral (w 2), 1w bullish (w 2.5).
        var timeframes = new[]
        {
            Timeframe(CandleInterval.Hour1, 1.0, Direction.Bullish),
            Timeframe(CandleInterval.Hour4, 1.5, Direction.Bearish),
            Timeframe(CandleInterval.Day, 2.0, Direction.Neutral),
            Timeframe(CandleInterval.Week, 2.5, Direction.Bullish),
        };

        var analysis = Confluence.Combine(timeframes);

        Assert.Equal((1.0 - 1.5 + 2.5) / 7.0, analysis.ConfluenceScore, 12);
        Assert.Equal(Direction.Bullish, analysis.Bias);
        Assert.Equal((1.0 + 2.5) / 7.0, analysis.TimeframeAgreement, 12);
        Assert.Equal(1.5 / 7.0, Confluence.TimeframeAgreement(timeframes, Direction.Bearish), 12);
        Assert.Equal(2.0 / 7.0, Confluence.TimeframeAgreement(timeframes, Direction.Neutral), 12);
    }

    [Fact]
    public void Combine_WeakNetScore_IsNeutralAndHoldAgreementMeasuresNeutrality()
    {
        var timeframes = new[]
        {
            Timeframe(CandleInterval.Hour1, 1.0, Direction.Bullish),
            Timeframe(CandleInterval.Hour4, 1.5, Direction.Neutral),
            Timeframe(CandleInterval.Day, 2.0, Direction.Neutral),
            Timeframe(CandleInterval.Week, 2.5, Direction.Neutral),
        };

        var analysis = Confluence.Combine(timeframes);

        Assert.Equal(1.0 / 7.0, analysis.ConfluenceScore, 12);
        Assert.Equal(Direction.Neutral, analysis.Bias);
        Assert.Equal(6.0 / 7.0, analysis.TimeframeAgreement, 12);
        Assert.Equal(6.0 / 7.0, Confluence.IndicatorAgreement(timeframes, Direction.Neutral), 12);
    }

    [Fact]
    public void IndicatorVotes_ReadingsInsideNeutralBands_VoteNeutral()
    {
        // RSI 50, close 0.1 ATR above EMA50, histogram 0.01 ATR, %B 0.5: nothing points anywhere.
        var votes = IndicatorVotes.From(close: 100.1, ema20: 100.05, ema50: 100, rsi: 50, macdHistogram: 0.01, percentB: 0.5, atr: 1);

        Assert.All(votes.Indicators, v => Assert.Equal(Direction.Neutral, v));
        Assert.Equal(Direction.Bullish, votes.Trend);
    }

    [Fact]
    public void IndicatorVotes_UndefinedReadings_VoteNeutral()
    {
        var votes = IndicatorVotes.From(100, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

        Assert.All(votes.All, v => Assert.Equal(Direction.Neutral, v));
    }

    private static TimeframeAnalysis Timeframe(CandleInterval interval, double weight, Direction all) =>
        new(interval, weight, 200, 100, 100, 100, 50, 0, 0, 0, 0.5, 1, new IndicatorVotes(all, all, all, all, all));
}
