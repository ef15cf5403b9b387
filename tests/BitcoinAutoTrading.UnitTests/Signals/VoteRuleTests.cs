using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Indicators;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.UnitTests.Signals;

/// <summary>
/// The vote rules of SPEC §4.5 at their exact cut-offs. Each vote moves the score by 0.2, so a wrong cut-off shifts the
/// score, the confidence and with it the size of a trade.
/// </summary>
public sealed class VoteRuleTests
{
    [Theory]
    [InlineData(103, 102, 101, Direction.Bullish)]
    [InlineData(103, 102, 102.5, Direction.Neutral)]   // close above EMA20 but EMA20 under EMA50: no trend
    [InlineData(101, 102, 101.5, Direction.Neutral)]   // EMA20 above EMA50 but close under EMA20
    [InlineData(102, 102, 101, Direction.Neutral)]     // close on EMA20
    [InlineData(103, 102, 102, Direction.Neutral)]     // EMA20 on EMA50
    [InlineData(99, 100, 101, Direction.Bearish)]
    [InlineData(99, 100, 99.5, Direction.Neutral)]     // close under EMA20 but EMA20 above EMA50
    [InlineData(100.5, 100, 101, Direction.Neutral)]   // EMA20 under EMA50 but close above EMA20
    [InlineData(100, 100, 101, Direction.Neutral)]
    [InlineData(99, 100, 100, Direction.Neutral)]
    public void From_Trend_NeedsCloseAndBothEmasInOrder(double close, double ema20, double ema50, Direction expected) =>
        Assert.Equal(expected, IndicatorVotes.From(close, ema20, ema50, 50, 0, 0.5, 1000).Trend);

    [Theory]
    [InlineData(55, Direction.Neutral)]
    [InlineData(55.01, Direction.Bullish)]
    [InlineData(45, Direction.Neutral)]
    [InlineData(44.99, Direction.Bearish)]
    public void From_Rsi_ZonesExclusiveOfTheirBounds(double rsi, Direction expected) =>
        Assert.Equal(expected, IndicatorVotes.From(100, 100, 100, rsi, 0, 0.5, 1).Rsi);

    [Theory]
    [InlineData(0.55, Direction.Neutral)]
    [InlineData(0.5501, Direction.Bullish)]
    [InlineData(0.45, Direction.Neutral)]
    [InlineData(0.4499, Direction.Bearish)]
    public void From_PercentB_ZonesExclusiveOfTheirBounds(double percentB, Direction expected) =>
        Assert.Equal(expected, IndicatorVotes.From(100, 100, 100, 50, 0, percentB, 1).PercentB);

    [Theory]
    [InlineData(5, Direction.Neutral)]       // 0.05 × ATR 100 = 5: on the band is flat
    [InlineData(5.01, Direction.Bullish)]
    [InlineData(1, Direction.Neutral)]
    [InlineData(-5, Direction.Neutral)]
    [InlineData(-5.01, Direction.Bearish)]
    public void From_MacdHistogram_FlatWithinFivePercentOfAtr(double histogram, Direction expected) =>
        Assert.Equal(expected, IndicatorVotes.From(100, 100, 100, 50, histogram, 0.5, 100).Macd);

    [Theory]
    [InlineData(125, Direction.Neutral)]     // 0.25 × ATR 100 = 25 above EMA50: still on it
    [InlineData(125.01, Direction.Bullish)]
    [InlineData(110, Direction.Neutral)]
    [InlineData(75, Direction.Neutral)]
    [InlineData(74.99, Direction.Bearish)]
    public void From_CloseVersusEma50_OnItWithinQuarterAtr(double close, Direction expected) =>
        Assert.Equal(expected, IndicatorVotes.From(close, close, 100, 50, 0, 0.5, 100).Ema50);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0)]
    [InlineData(-3)]
    public void From_AtrUnusable_NoNeutralBand(double atr)
    {
        var votes = IndicatorVotes.From(100.001, 100.001, 100, 50, 0.001, 0.5, atr);

        Assert.Equal((Direction.Bullish, Direction.Bullish), (votes.Macd, votes.Ema50));
    }

    [Fact]
    public void Score_MeanOfFiveVotesIndicatorsExcludeTrend()
    {
        var votes = new IndicatorVotes(Direction.Bullish, Direction.Bullish, Direction.Bearish, Direction.Neutral, Direction.Bullish);

        Assert.Equal(0.4, votes.Score, 12);
        Assert.Equal([Direction.Bullish, Direction.Bearish, Direction.Neutral, Direction.Bullish], votes.Indicators);
        Assert.Equal([Direction.Bullish, Direction.Bullish, Direction.Bearish, Direction.Neutral, Direction.Bullish], votes.All);
    }

    [Theory]
    [InlineData(2, 0, Direction.Bullish)]   // +0.4
    [InlineData(1, 0, Direction.Neutral)]   // +0.2
    [InlineData(0, 1, Direction.Neutral)]   // −0.2
    [InlineData(0, 2, Direction.Bearish)]   // −0.4
    [InlineData(3, 1, Direction.Bullish)]
    public void Direction_TwoMoreVotesOneWay_PointsThatWay(int bullish, int bearish, Direction expected) =>
        Assert.Equal(expected, Timeframe(CandleInterval.Hour1, 1.0, Votes(bullish, bearish)).Direction);

    [Theory]
    [InlineData(1, 0, Direction.Bullish)]   // 0.2 exactly is a bias
    [InlineData(0, 1, Direction.Bearish)]
    public void Combine_ScoreExactlyAtBiasThreshold_IsABias(int bullish, int bearish, Direction expected)
    {
        var analysis = Confluence.Combine([Timeframe(CandleInterval.Day, 2.0, Votes(bullish, bearish))]);

        Assert.Equal(expected, analysis.Bias);
        Assert.Equal(bullish == 1 ? 0.2 : -0.2, analysis.ConfluenceScore, 12);
    }

    [Fact]
    public void Combine_NoTimeframes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Confluence.Combine([]));
        Assert.Throws<ArgumentNullException>(() => Confluence.Combine(null!));
    }

    [Fact]
    public void Agreements_NoWeight_Zero()
    {
        var weightless = new[] { Timeframe(CandleInterval.Hour1, 0.0, Votes(5, 0)) };

        Assert.Equal(0.0, Confluence.TimeframeAgreement(weightless, Direction.Bullish));
        Assert.Equal(0.0, Confluence.IndicatorAgreement(weightless, Direction.Bullish));
    }

    [Fact]
    public void IndicatorAgreement_WeighsShareOfFourIndicatorsPerTimeframe()
    {
        // 1h (w 1): 3 of 4 indicators bullish; 1w (w 2.5): 1 of 4. The trend vote does not count.
        var timeframes = new[]
        {
            Timeframe(CandleInterval.Hour1, 1.0, new IndicatorVotes(Direction.Bearish, Direction.Bullish, Direction.Bullish, Direction.Bullish, Direction.Neutral)),
            Timeframe(CandleInterval.Week, 2.5, new IndicatorVotes(Direction.Bullish, Direction.Bullish, Direction.Bearish, Direction.Bearish, Direction.Neutral)),
        };

        Assert.Equal(((1.0 * 3 / 4) + (2.5 * 1 / 4)) / 3.5, Confluence.IndicatorAgreement(timeframes, Direction.Bullish), 12);
    }

    [Fact]
    public void Analyze_TimeframeOutsideConfluence_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiTimeframeAnalyzer.Analyze([(CandleInterval.Minute5, SignalTestData.Trending(CandleInterval.Hour1, 0.01))]));

    [Fact]
    public void Analyze_EachTimeframeGetsItsWeight()
    {
        var analysis = SignalTestData.Analysis(tf => SignalTestData.Trending(tf, 0.01));

        Assert.Equal([1.0, 1.5, 2.0, 2.5], analysis.Timeframes.Select(t => t.Weight));
        Assert.Equal([CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week], analysis.Timeframes.Select(t => t.Timeframe));
    }

    [Fact]
    public void TimeframeAnalyzer_NoCandles_ThrowsNamingTheTimeframe()
    {
        var error = Assert.Throws<ArgumentException>(() => TimeframeAnalyzer.Analyze(CandleInterval.Hour4, 1.5, []));

        Assert.Contains("4h", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CandleInterval.Hour1, "1h")]
    [InlineData(CandleInterval.Hour4, "4h")]
    [InlineData(CandleInterval.Day, "1d")]
    [InlineData(CandleInterval.Week, "1w")]
    [InlineData(CandleInterval.Minute15, "15m")]
    public void Label_Timeframe_ShortName(CandleInterval timeframe, string expected) =>
        Assert.Equal(expected, TimeframeAnalysis.Label(timeframe));

    [Theory]
    [InlineData(SignalAction.Buy, Direction.Bullish, "bullish")]
    [InlineData(SignalAction.Sell, Direction.Bearish, "bearish")]
    [InlineData(SignalAction.Hold, Direction.Neutral, "neutral")]
    public void Direction_OfActionAndWireName(SignalAction action, Direction direction, string wire)
    {
        Assert.Equal(direction, action.ToDirection());
        Assert.Equal(wire, direction.ToWire());
    }

    [Fact]
    public void Confidence_MidpointAtFourDecimals_RoundsAwayFromZero() =>
        // 0.5 × 0.0001 = 0.00005: half a unit of the fourth decimal rounds up, not to even.
        Assert.Equal(0.0001m, SignalDecision.Confidence(0.0001m, 0, 0));

    [Theory]
    [InlineData(-0.01, 0.5)]
    [InlineData(1.01, 0.5)]
    [InlineData(0.5, -0.01)]
    [InlineData(0.5, 1.01)]
    public void Confidence_AgreementOutsideZeroToOne_Throws(double timeframe, double indicator) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalDecision.Confidence(0.5m, timeframe, indicator));

    [Fact]
    public void Confidence_AgreementsAtTheirBounds_Accepted()
    {
        Assert.Equal(0.25m, SignalDecision.Confidence(0.5m, 0, 0));
        Assert.Equal(0.75m, SignalDecision.Confidence(0.5m, 1, 1));
    }

    [Fact]
    public void ToStoredScore_ClampsToOneAndRoundsAwayFromZero()
    {
        Assert.Equal(1m, SignalDecision.ToStoredScore(1.7));
        Assert.Equal(-1m, SignalDecision.ToStoredScore(-1.7m));
        Assert.Equal(0.1235m, SignalDecision.ToStoredScore(0.12345m));
        Assert.Equal(-0.1235m, SignalDecision.ToStoredScore(-0.12345m));
    }

    [Fact]
    public void DecisionThresholds_AtTheirOuterBounds_Accepted()
    {
        var widest = new DecisionThresholds(1m, -1m);

        Assert.Equal((1m, -1m), (widest.Buy, widest.Sell));
        Assert.Equal(SignalAction.Hold, SignalDecision.Decide(0.9999m, widest));
        Assert.Equal(SignalAction.Sell, SignalDecision.Decide(-1m, widest));
        Assert.Throws<ArgumentNullException>(() => SignalDecision.Decide(0m, null!));
    }

    [Fact]
    public void MarketSample_BarCountAndEmptiness()
    {
        var bar = new SampledBar(DateTimeOffset.UnixEpoch, 1m, 1m, 1m, 1m, 1m);

        var sample = new MarketSample("KRW-BTC", [bar, bar], [bar], [bar, bar, bar], null);

        Assert.Equal(6, sample.BarCount);
        Assert.False(sample.IsEmpty);
        Assert.True(new MarketSample("KRW-BTC", [], [], [], null).IsEmpty);
        Assert.False(new MarketSample("KRW-BTC", [], [], [bar], null).IsEmpty);
    }

    [Fact]
    public void Indicators_PeriodBelowOne_Throw()
    {
        double[] closes = [1, 2, 3];
        Assert.Throws<ArgumentOutOfRangeException>(() => Ema.Compute(closes, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rsi.Compute(closes, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Atr.Compute(closes, closes, closes, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BollingerBands.Compute(closes, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Macd.Compute(closes, fast: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Macd.Compute(closes, fast: 12, slow: 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => Macd.Compute(closes, signal: 0));
    }

    [Fact]
    public void Indicators_ExactlyOnePeriodOfHistory_FirstValueDefined()
    {
        double[] closes = [1, 2, 3, 4, 5];

        Assert.Equal(3, Ema.Compute(closes, 5)[4]);
        Assert.Equal(3, BollingerBands.Compute(closes, 5).Middle[4]);
        // True ranges 1 (first bar: high − low), then 1.5 (high against the previous close): (1 + 4 × 1.5) / 5.
        Assert.Equal(1.4, Atr.Compute(closes.Select(c => c + 0.5).ToArray(), closes.Select(c => c - 0.5).ToArray(), closes, 5)[4]);
        // RSI needs one change more than its period: 4 changes for period 4, none for period 5.
        Assert.Equal(100, Rsi.Compute(closes, 4)[4]);
        Assert.All(Rsi.Compute(closes, 5), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Atr_LengthsDiffer_Throws() =>
        Assert.Throws<ArgumentException>(() => Atr.Compute([1, 2], [1], [1, 2]));

    [Fact]
    public void BollingerBands_FlatWindow_PercentBIsMiddle() =>
        Assert.Equal(0.5, BollingerBands.Compute([7, 7, 7, 7, 7], 5).PercentB[4]);

    private static IndicatorVotes Votes(int bullish, int bearish)
    {
        var votes = Enumerable.Repeat(Direction.Bullish, bullish)
            .Concat(Enumerable.Repeat(Direction.Bearish, bearish))
            .Concat(Enumerable.Repeat(Direction.Neutral, 5 - bullish - bearish))
            .ToArray();
        return new IndicatorVotes(votes[0], votes[1], votes[2], votes[3], votes[4]);
    }

    private static TimeframeAnalysis Timeframe(CandleInterval interval, double weight, IndicatorVotes votes) =>
        new(interval, weight, 200, 100, 100, 100, 50, 0, 0, 0, 0.5, 1, votes);
}
