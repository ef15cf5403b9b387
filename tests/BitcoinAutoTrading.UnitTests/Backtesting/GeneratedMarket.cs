using BitcoinAutoTrading.Core.Market;

namespace BitcoinAutoTrading.UnitTests.Backtesting;

/// <summary>
/// A reproducible minute market for backtests: a random walk on Upbit's 1,000 KRW tick whose drift changes regime every
/// few days (rallies, slides, ranges), so the strategy meets every kind of market. Shared with the integration tests and
/// the benchmarks (linked source), and the source of the sample report under docs/.
/// </summary>
public static class GeneratedMarket
{
    public const string Market = "KRW-BTC";

    /// <summary>Minutes that never move: open, high, low and close all <paramref name="price"/>, ids 1, 2, ….</summary>
    public static List<MarketMinute> Flat(DateTimeOffset start, int count, decimal price) =>
        Enumerable.Range(0, count).Select(i => new MarketMinute(i + 1, Market, start.AddMinutes(i), price, price, price, price, 1m, price)).ToList();

    public static List<MarketMinute> Minutes(DateTimeOffset start, int count, int seed = 13, decimal startPrice = 100_000_000m)
    {
        var random = new Random(seed);
        var minutes = new List<MarketMinute>(count);
        var price = (double)startPrice;
        var drift = 0.0;
        for (var i = 0; i < count; i++)
        {
            if (i % (3 * 1440) == 0)
            {
                // A new regime every 3 days: up to ±0.6 % a day on average, or flat.
                drift = (random.NextDouble() - 0.5) * 2 * 0.006 / 1440;
            }
            var open = Tick(price);
            var shock = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 0.0012;
            price *= 1 + drift + shock;
            var close = Tick(price);
            var high = Math.Max(open, close) + Tick((double)startPrice * random.NextDouble() * 0.0004);
            var low = Math.Min(open, close) - Tick((double)startPrice * random.NextDouble() * 0.0004);
            var volume = Math.Round(0.5m + (decimal)random.NextDouble() * 2, 8);
            minutes.Add(new MarketMinute(i + 1, Market, start.AddMinutes(i), open, high, low, close, volume, Math.Round(volume * close, 8)));
        }
        return minutes;
    }

    private static decimal Tick(double value) => Math.Round((decimal)value / 1_000m, MidpointRounding.AwayFromZero) * 1_000m;
}
