using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>Indicators of one timeframe at its newest candle (NaN where the history is too short), with their votes.</summary>
public sealed record TimeframeAnalysis(
    CandleInterval Timeframe,
    double Weight,
    int CandleCount,
    double Close,
    double Ema20,
    double Ema50,
    double Rsi14,
    double MacdLine,
    double MacdSignal,
    double MacdHistogram,
    double PercentB,
    double Atr14,
    IndicatorVotes Votes)
{
    public Direction Trend => Votes.Trend;

    public double Score => Votes.Score;

    /// <summary>A timeframe points somewhere when at least two more votes go one way than the other.</summary>
    public const double DirectionThreshold = 0.3;

    public Direction Direction =>
        Score >= DirectionThreshold ? Direction.Bullish : Score <= -DirectionThreshold ? Direction.Bearish : Direction.Neutral;

    public static string Label(CandleInterval timeframe) => timeframe switch
    {
        CandleInterval.Hour1 => "1h",
        CandleInterval.Hour4 => "4h",
        CandleInterval.Day => "1d",
        CandleInterval.Week => "1w",
        _ => $"{(int)timeframe}m",
    };
}
