namespace BitcoinAutoTrading.Core.Signals;

/// <summary>The market's state as the provider reads it; stored as <c>market_regime</c> in its wire form.</summary>
public enum MarketRegime
{
    Sideways = 0,
    BullTrend = 1,
    BearTrend = 2,
    HighVolatility = 3,
}

/// <summary>The snake_case names used in the Gemini schema and the database.</summary>
public static class MarketRegimeNames
{
    public static IReadOnlyList<string> All { get; } = ["bull_trend", "bear_trend", "sideways", "high_volatility"];

    public static string ToWire(this MarketRegime regime) => regime switch
    {
        MarketRegime.BullTrend => "bull_trend",
        MarketRegime.BearTrend => "bear_trend",
        MarketRegime.HighVolatility => "high_volatility",
        _ => "sideways",
    };

    public static bool TryParse(string? value, out MarketRegime regime)
    {
        (var known, regime) = value switch
        {
            "bull_trend" => (true, MarketRegime.BullTrend),
            "bear_trend" => (true, MarketRegime.BearTrend),
            "sideways" => (true, MarketRegime.Sideways),
            "high_volatility" => (true, MarketRegime.HighVolatility),
            _ => (false, MarketRegime.Sideways),
        };
        return known;
    }
}
