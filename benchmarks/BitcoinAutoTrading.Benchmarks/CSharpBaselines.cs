using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// What the seed did instead of SQL: load the raw minutes into the app and compute there. Same results as the SQL
/// versions (checked by the harness), so the comparison is like for like.
/// </summary>
internal static class CSharpBaselines
{
    public static MarketStats Stats(string market, IReadOnlyList<MarketMinute> newestFirst)
    {
        var minutes = newestFirst.OrderBy(m => m.Ts).ToList();
        var open = minutes[0].Open;
        var close = minutes[^1].Close;
        return new MarketStats(
            market, minutes[0].Ts, minutes[^1].Ts, open, minutes.Max(m => m.High), minutes.Min(m => m.Low), close,
            Math.Round((close - open) / open * 100m, 6), minutes.Sum(m => m.Volume), minutes.Sum(m => m.ValueKrw), minutes.Count);
    }

    /// <summary>SPEC §4.1's clock-aligned windows and buckets (as MarketSamplingQuery draws them), computed in C#.</summary>
    public static MarketSample Sample(string market, DateTimeOffset asOf, IReadOnlyList<MarketMinute> newestFirst)
    {
        var origin = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset Floor(DateTimeOffset t, TimeSpan step) => origin.AddTicks((t - origin).Ticks / step.Ticks * step.Ticks);
        var shortEnd = Floor(asOf, MarketSample.ShortStep) + MarketSample.ShortStep;
        var shortStart = Floor(shortEnd - MarketSample.ShortSpan, MarketSample.MidStep);
        var midStart = Floor(shortStart - MarketSample.MidSpan, MarketSample.LongStep);
        var longStart = midStart - MarketSample.LongSpan;

        var minutes = newestFirst.Where(m => m.Ts >= longStart && m.Ts <= asOf).OrderBy(m => m.Ts).ToList();
        List<SampledBar> Bucket(DateTimeOffset from, DateTimeOffset to, TimeSpan step) => minutes
            .Where(m => m.Ts >= from && m.Ts < to)
            .GroupBy(m => from.AddTicks((m.Ts - from).Ticks / step.Ticks * step.Ticks))
            .Select(g => new SampledBar(g.Key, g.First().Open, g.Max(m => m.High), g.Min(m => m.Low), g.Last().Close, g.Sum(m => m.Volume)))
            .ToList();

        var latest = minutes.Count == 0 ? null : new LatestMinute(minutes[^1].Id, minutes[^1].Ts, minutes[^1].Close);
        return new MarketSample(
            market,
            Bucket(longStart, midStart, MarketSample.LongStep),
            Bucket(midStart, shortStart, MarketSample.MidStep),
            Bucket(shortStart, DateTimeOffset.MaxValue, MarketSample.ShortStep),
            latest);
    }
}
