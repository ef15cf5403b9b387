namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>
/// Upbit's KRW-market price units. Rows from 100 KRW up follow the table in force since 2025-07-31
/// (1,000 KRW for every price from 1,000,000 up); the sub-100 KRW rows follow the earlier published table.
/// A limit price off the grid is refused by Upbit (<c>invalid_price_bid</c>/<c>invalid_price_ask</c>), so we round first.
/// </summary>
public static class KrwTickSize
{
    // (lower bound inclusive, tick), highest first.
    private static readonly (decimal From, decimal Tick)[] Table =
    [
        (1_000_000m, 1_000m),
        (500_000m, 500m),
        (100_000m, 100m),
        (50_000m, 50m),
        (10_000m, 10m),
        (5_000m, 5m),
        (1_000m, 1m),
        (100m, 1m),
        (10m, 0.01m),
        (1m, 0.001m),
        (0.1m, 0.0001m),
        (0.01m, 0.00001m),
        (0.001m, 0.000001m),
        (0.0001m, 0.0000001m),
        (0m, 0.00000001m),
    ];

    public static decimal For(decimal price)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        foreach (var (from, tick) in Table)
        {
            if (price >= from)
            {
                return tick;
            }
        }
        return Table[^1].Tick;
    }

    /// <summary>Rounds down onto the grid: a buy never pays more than the caller asked.</summary>
    public static decimal RoundDown(decimal price)
    {
        var tick = For(price);
        return Math.Floor(price / tick) * tick;
    }

    /// <summary>Rounds up onto the grid: a sell never accepts less than the caller asked.</summary>
    public static decimal RoundUp(decimal price)
    {
        var tick = For(price);
        return Math.Ceiling(price / tick) * tick;
    }

    public static bool IsOnGrid(decimal price) => price % For(price) == 0;
}
