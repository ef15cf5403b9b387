using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Market;

/// <summary>
/// The resolutions stored bars can be read at (SPEC §16): the minutes themselves and the 5 m, 15 m and 1 h rollups the
/// collector keeps with them. Wire names are the chart convention (1m, 5m, 15m, 1h).
/// </summary>
public static class BarResolutions
{
    /// <summary>The rollups kept next to the minutes, finest first.</summary>
    public static IReadOnlyList<CandleInterval> Rollups { get; } = [CandleInterval.Minute5, CandleInterval.Minute15, CandleInterval.Hour1];

    private static readonly (CandleInterval Interval, string Name)[] Names =
    [
        (CandleInterval.Minute1, "1m"),
        (CandleInterval.Minute5, "5m"),
        (CandleInterval.Minute15, "15m"),
        (CandleInterval.Hour1, "1h"),
    ];

    public static IReadOnlyList<string> WireNames { get; } = Names.Select(n => n.Name).ToList();

    public static bool IsRollup(CandleInterval interval) => Rollups.Contains(interval);

    /// <summary>Case-insensitive: "1H" and "1h" are the same resolution.</summary>
    public static bool TryParse(string? raw, out CandleInterval interval)
    {
        foreach (var (candidate, name) in Names)
        {
            if (string.Equals(name, raw, StringComparison.OrdinalIgnoreCase))
            {
                interval = candidate;
                return true;
            }
        }
        interval = default;
        return false;
    }
}
