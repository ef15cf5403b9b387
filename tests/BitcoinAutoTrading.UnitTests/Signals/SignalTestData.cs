using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.UnitTests.Signals;

internal static class SignalTestData
{
    public const string Market = "KRW-BTC";
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 2, 0, TimeSpan.Zero);

    /// <summary>
    /// Candles moving faster and faster one way, so that every indicator (MACD's histogram included) points that way:
    /// compound growth by <paramref name="stepPerBar"/> when positive, its accelerating mirror image when negative.
    /// </summary>
    public static IReadOnlyList<Candle> Trending(CandleInterval interval, double stepPerBar, int count = 200)
    {
        var candles = new List<Candle>(count);
        var start = Now - TimeSpan.FromMinutes((int)interval * count);
        var growth = Math.Abs(stepPerBar) / 2.5;
        for (var i = 0; i < count; i++)
        {
            var factor = stepPerBar >= 0 ? Math.Pow(1 + stepPerBar, i) : 3 - Math.Pow(1 + growth, i);
            var close = Math.Round(100_000_000m * (decimal)factor, 0);
            candles.Add(new Candle(Market, start + TimeSpan.FromMinutes((int)interval * i),
                close, Math.Round(close * 1.005m, 0), Math.Round(close * 0.995m, 0), close, 1.5m, close * 1.5m));
        }
        return candles;
    }

    /// <summary>A choppy random walk, for realistic prompt sizes and CPU measurements.</summary>
    public static IReadOnlyList<Candle> RandomWalk(CandleInterval interval, int seed, int count = 200)
    {
        var (high, low, close) = DecimalReference.RandomWalk(count, seed);
        var start = Now - TimeSpan.FromMinutes((int)interval * count);
        return Enumerable.Range(0, count)
            .Select(i => new Candle(Market, start + TimeSpan.FromMinutes((int)interval * i),
                i == 0 ? close[0] : close[i - 1], Math.Max(high[i], i == 0 ? close[0] : close[i - 1]),
                Math.Min(low[i], i == 0 ? close[0] : close[i - 1]), close[i], 2.5m, close[i] * 2.5m))
            .ToList();
    }

    public static MultiTimeframeAnalysis Analysis(Func<CandleInterval, IReadOnlyList<Candle>> candles) =>
        MultiTimeframeAnalyzer.Analyze(Confluence.Timeframes.Select(t => (t.Timeframe, candles(t.Timeframe))).ToList());

    /// <summary>The full data set of SPEC §4.1: 336 + 96 + 12 bars of realistic KRW-BTC prices.</summary>
    public static MarketSample FullSample(int seed = 7)
    {
        var random = new Random(seed);
        var price = 150_000_000m;
        var shortEnd = new DateTimeOffset(2026, 1, 15, 12, 5, 0, TimeSpan.Zero);
        var shortStart = shortEnd - MarketSample.ShortSpan;
        var midStart = shortStart - MarketSample.MidSpan;
        var longStart = midStart - MarketSample.LongSpan;

        List<SampledBar> Bars(DateTimeOffset from, TimeSpan step, int count, double volatility)
        {
            var bars = new List<SampledBar>(count);
            for (var i = 0; i < count; i++)
            {
                var open = price;
                price = Math.Round(price * (1 + (((decimal)random.NextDouble() - 0.5m) * (decimal)volatility)), 0);
                var high = Math.Max(open, price) + Math.Round(price * (decimal)(random.NextDouble() * volatility / 3), 0);
                var low = Math.Min(open, price) - Math.Round(price * (decimal)(random.NextDouble() * volatility / 3), 0);
                bars.Add(new SampledBar(from + (step * i), open, high, low, price, Math.Round((decimal)(random.NextDouble() * 40), 8)));
            }
            return bars;
        }

        var longBars = Bars(longStart, MarketSample.LongStep, 336, 0.012);
        var midBars = Bars(midStart, MarketSample.MidStep, 96, 0.006);
        var shortBars = Bars(shortStart, MarketSample.ShortStep, 12, 0.003);
        return new MarketSample(Market, longBars, midBars, shortBars, new LatestMinute(43_210, Now, price));
    }
}
