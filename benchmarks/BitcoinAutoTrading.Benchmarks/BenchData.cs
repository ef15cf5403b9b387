using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>Deterministic KRW-BTC-like data: a seeded random walk of minutes and 200 candles per analysis timeframe.</summary>
internal static class BenchData
{
    public const string Market = "KRW-BTC";

    /// <summary><paramref name="count"/> consecutive minutes ending with the minute that starts at <paramref name="last"/>.</summary>
    public static List<Candle> Minutes(DateTimeOffset last, int count, int seed = 42, string market = Market)
    {
        var random = new Random(seed);
        var candles = new List<Candle>(count);
        var price = 150_000_000m;
        var first = last.AddMinutes(-(count - 1));
        for (var i = 0; i < count; i++)
        {
            var open = price;
            price = Math.Max(1_000_000m, Math.Round(price * (1m + (decimal)((random.NextDouble() - 0.5) * 0.002)) / 1_000m) * 1_000m);
            var high = Math.Max(open, price) + random.Next(0, 50) * 1_000m;
            var low = Math.Min(open, price) - random.Next(0, 50) * 1_000m;
            var volume = Math.Round((decimal)random.NextDouble() * 3m, 8);
            candles.Add(new Candle(market, first.AddMinutes(i), open, high, low, price, volume, Math.Round(volume * price, 2)));
        }
        return candles;
    }

    /// <summary>1h/4h/1d/1w candles as the analyzer receives them from the exchange.</summary>
    public static IReadOnlyList<(CandleInterval Timeframe, IReadOnlyList<Candle> Candles)> Timeframes(DateTimeOffset asOf) =>
        Confluence.Timeframes
            .Select(t => (t.Timeframe, (IReadOnlyList<Candle>)Series(t.Timeframe, asOf, (int)t.Timeframe)))
            .ToList();

    private static List<Candle> Series(CandleInterval interval, DateTimeOffset asOf, int seed)
    {
        var step = TimeSpan.FromMinutes((int)interval);
        var minutes = Minutes(asOf, 200, seed);
        // Same random walk, spaced at the timeframe's period.
        return minutes.Select((c, i) => c with { Start = asOf - step * (199 - i) }).ToList();
    }
}
