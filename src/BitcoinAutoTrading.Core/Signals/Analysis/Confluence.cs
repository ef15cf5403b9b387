using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>Weighted confluence of the timeframes and the agreement measures of SPEC §4.5.</summary>
public static class Confluence
{
    /// <summary>Longer timeframes weigh more: 1h 1, 4h 1.5, 1d 2, 1w 2.5.</summary>
    public static IReadOnlyList<(CandleInterval Timeframe, double Weight)> Timeframes { get; } =
    [
        (CandleInterval.Hour1, 1.0),
        (CandleInterval.Hour4, 1.5),
        (CandleInterval.Day, 2.0),
        (CandleInterval.Week, 2.5),
    ];

    /// <summary>|confluence| at or above this is a bias; below it the market is neutral.</summary>
    public const double BiasThreshold = 0.2;

    public static MultiTimeframeAnalysis Combine(IReadOnlyList<TimeframeAnalysis> timeframes)
    {
        ArgumentNullException.ThrowIfNull(timeframes);
        if (timeframes.Count == 0)
        {
            throw new ArgumentException("At least one timeframe is needed.", nameof(timeframes));
        }

        var totalWeight = timeframes.Sum(t => t.Weight);
        var score = timeframes.Sum(t => t.Weight * t.Score) / totalWeight;
        var bias = score >= BiasThreshold ? Direction.Bullish : score <= -BiasThreshold ? Direction.Bearish : Direction.Neutral;
        return new MultiTimeframeAnalysis(timeframes, score, bias, TimeframeAgreement(timeframes, bias));
    }

    /// <summary>Weighted share of timeframes whose own direction is <paramref name="direction"/> (for neutral: that are neutral).</summary>
    public static double TimeframeAgreement(IReadOnlyList<TimeframeAnalysis> timeframes, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(timeframes);
        var totalWeight = timeframes.Sum(t => t.Weight);
        return totalWeight == 0 ? 0 : timeframes.Where(t => t.Direction == direction).Sum(t => t.Weight) / totalWeight;
    }

    /// <summary>
    /// Weighted share of indicator readings (RSI zone, MACD histogram sign, close vs EMA50, %B) on every timeframe
    /// that point <paramref name="direction"/>; for neutral, the share that sit in their neutral band.
    /// </summary>
    public static double IndicatorAgreement(IReadOnlyList<TimeframeAnalysis> timeframes, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(timeframes);
        var totalWeight = timeframes.Sum(t => t.Weight);
        if (totalWeight == 0)
        {
            return 0;
        }
        var agreeing = timeframes.Sum(t =>
        {
            var readings = t.Votes.Indicators.ToList();
            return t.Weight * readings.Count(d => d == direction) / readings.Count;
        });
        return agreeing / totalWeight;
    }
}
