namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>
/// How each reading of one timeframe points (SPEC §4.5): the trend (close vs EMA20 vs EMA50), the RSI zone,
/// the MACD histogram's sign, close vs EMA50 and Bollinger %B. Each has a neutral band so HOLD can agree too.
/// </summary>
public sealed record IndicatorVotes(Direction Trend, Direction Rsi, Direction Macd, Direction Ema50, Direction PercentB)
{
    /// <summary>RSI above this is a bullish zone, below 100 minus it a bearish one.</summary>
    public const double RsiBullishAbove = 55;
    public const double RsiBearishBelow = 45;

    /// <summary>%B above this leans to the upper band, below 1 minus it to the lower.</summary>
    public const double PercentBBullishAbove = 0.55;
    public const double PercentBBearishBelow = 0.45;

    /// <summary>A MACD histogram smaller than this share of ATR is flat.</summary>
    public const double MacdNeutralAtrShare = 0.05;

    /// <summary>A close within this share of ATR from EMA50 is on it, not above or below.</summary>
    public const double Ema50NeutralAtrShare = 0.25;

    /// <summary>The four indicators §4.5 names for indicator_agreement (the trend is a summary of EMAs, not one of them).</summary>
    public IEnumerable<Direction> Indicators => [Rsi, Macd, Ema50, PercentB];

    public IEnumerable<Direction> All => [Trend, Rsi, Macd, Ema50, PercentB];

    /// <summary>Mean of the five votes as +1/0/−1: the timeframe's score in [−1, 1].</summary>
    public double Score => All.Average(d => (double)(int)d);

    public static IndicatorVotes From(
        double close, double ema20, double ema50, double rsi, double macdHistogram, double percentB, double atr)
    {
        var trend = Direction.Neutral;
        if (close > ema20 && ema20 > ema50)
        {
            trend = Direction.Bullish;
        }
        else if (close < ema20 && ema20 < ema50)
        {
            trend = Direction.Bearish;
        }

        var rsiVote = rsi > RsiBullishAbove ? Direction.Bullish : rsi < RsiBearishBelow ? Direction.Bearish : Direction.Neutral;
        var pctBVote = percentB > PercentBBullishAbove ? Direction.Bullish
            : percentB < PercentBBearishBelow ? Direction.Bearish : Direction.Neutral;
        var scale = double.IsFinite(atr) && atr > 0 ? atr : 0;
        var macdVote = Band(macdHistogram, MacdNeutralAtrShare * scale);
        var emaVote = Band(close - ema50, Ema50NeutralAtrShare * scale);
        // NaN readings (too little history) compare false everywhere above, so they vote neutral.
        return new IndicatorVotes(trend, rsiVote, macdVote, emaVote, pctBVote);
    }

    private static Direction Band(double value, double neutralWidth) =>
        value > neutralWidth ? Direction.Bullish : value < -neutralWidth ? Direction.Bearish : Direction.Neutral;
}
