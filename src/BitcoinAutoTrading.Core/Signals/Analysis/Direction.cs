namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>Which way something points: a trend, an indicator reading, a timeframe or the whole confluence.</summary>
public enum Direction
{
    Neutral = 0,
    Bullish = 1,
    Bearish = -1,
}

public static class DirectionExtensions
{
    /// <summary>The direction a signal action points: BUY bullish, SELL bearish, HOLD neutral.</summary>
    public static Direction ToDirection(this SignalAction action) => action switch
    {
        SignalAction.Buy => Direction.Bullish,
        SignalAction.Sell => Direction.Bearish,
        _ => Direction.Neutral,
    };

    public static string ToWire(this Direction direction) => direction switch
    {
        Direction.Bullish => "bullish",
        Direction.Bearish => "bearish",
        _ => "neutral",
    };
}
