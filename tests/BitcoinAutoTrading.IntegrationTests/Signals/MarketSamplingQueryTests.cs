using System.Diagnostics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>
/// SPEC §4.1 on a generated minute series whose every bucket's OHLC is known in advance, stored through the collector's
/// upsert so the rollups the sampler reads are the ones production keeps.
/// </summary>
public sealed class MarketSamplingQueryTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset AsOf = new(2026, 1, 15, 12, 2, 30, TimeSpan.Zero);
    // Windows by hand: the 5-minute bucket holding 12:02:30 ends 12:05; short starts at the quarter hour at or before
    // 11:05 (11:00), mid at the hour at or before 24 h earlier (11:00 the day before), long 14 days before that.
    private static readonly DateTimeOffset ShortEnd = new(2026, 1, 15, 12, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ShortStart = new(2026, 1, 15, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MidStart = ShortStart.AddHours(-24);
    private static readonly DateTimeOffset LongStart = MidStart.AddDays(-14);
    // Series starts 2 h before the long window and runs 70 min past asOf: both ends must be cut off (and later asOfs
    // of the same hour find their minutes).
    private static readonly DateTimeOffset SeriesStart = LongStart.AddHours(-2);
    private static readonly int MinuteCount = (int)(AsOf.AddMinutes(70) - SeriesStart).TotalMinutes;
    // One whole long-window hour is missing (no bar may be invented for it), another hour half missing.
    private static readonly DateTimeOffset MissingHour = LongStart.AddHours(100);
    private static readonly DateTimeOffset HalfMissingHour = LongStart.AddHours(200);

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        var repository = new MarketDataRepository(database.DataSource);
        foreach (var market in new[] { Market, "KRW-ETH" })
        {
            // The ETH series keeps every minute; BTC misses one whole hour and half of another.
            var candles = Enumerable.Range(0, MinuteCount)
                .Where(i => market != Market || Stored(i) || SeriesStart.AddMinutes(i) > AsOf)
                .Select(i => Minute(i))
                .Select(m => new Candle(market, m.Start, m.Open, m.High, m.Low, m.Close, m.Volume, m.Close * m.Volume))
                .ToList();
            foreach (var chunk in candles.Chunk(5_000))
            {
                await repository.UpsertMinutesAsync(chunk);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SampleAsync_FourteenDaysOfMinutes_ReturnsKnownBucketsWithoutOverlap()
    {
        var sample = await new MarketSamplingQuery(database.DataSource).SampleAsync(Market, AsOf);

        AssertBars(Expected(LongStart, MidStart, TimeSpan.FromHours(1)), sample.Long);
        AssertBars(Expected(MidStart, ShortStart, TimeSpan.FromMinutes(15)), sample.Mid);
        AssertBars(Expected(ShortStart, ShortEnd, TimeSpan.FromMinutes(5)), sample.Short);
        Assert.Equal(335, sample.Long.Count);
        Assert.Equal(96, sample.Mid.Count);
        Assert.Equal(13, sample.Short.Count);
        Assert.True(sample.Long[^1].Start + MarketSample.LongStep == sample.Mid[0].Start);
        Assert.True(sample.Mid[^1].Start + MarketSample.MidStep == sample.Short[0].Start);
        // The last short bucket is still forming: 12:00, 12:01 and 12:02 only, although 12:03 and 12:04 are stored (and
        // in its stored bar).
        Assert.Equal(Minute(Index(AsOf.AddSeconds(-30))).Close, sample.Short[^1].Close);
        Assert.True(sample.Long.Concat(sample.Mid).Concat(sample.Short).All(b => b.Start.Minute % 5 == 0));
        Assert.True(sample.Long.All(b => b.Start.Minute == 0) && sample.Mid.All(b => b.Start.Minute % 15 == 0));

        var lastIndex = Index(new DateTimeOffset(2026, 1, 15, 12, 2, 0, TimeSpan.Zero));
        Assert.NotNull(sample.Latest);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, 2, 0, TimeSpan.Zero), sample.Latest.Timestamp);
        Assert.Equal(Minute(lastIndex).Close, sample.Latest.Close);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM market_data WHERE market = @market AND ts = @ts", new { market = Market, ts = sample.Latest.Timestamp.UtcDateTime });
        Assert.Equal(id, sample.Latest.Id);
        output.WriteLine($"P5: {sample.BarCount} bars + 1 latest-minute row returned from {MinuteCount} stored minutes");
    }

    [Theory]
    [InlineData(52, 336, 99, 14)] // 12:52:30: short from 11:45 (14 bins), mid from 11:00 the day before (99)
    [InlineData(2, 336, 96, 13)]
    [InlineData(57, 336, 96, 12)] // 12:57:30: short from 12:00 exactly (12 bins), mid from 12:00 the day before (96)
    public async Task SampleAsync_AnyAsOf_ClockAlignedTiersOfAtMost449Bins(int minute, int longBars, int midBars, int shortBars)
    {
        // The ETH series has no gaps, so every bin of every tier has a bar.
        var asOf = new DateTimeOffset(2026, 1, 15, 12, minute, 30, TimeSpan.Zero);

        var sample = await new MarketSamplingQuery(database.DataSource).SampleAsync("KRW-ETH", asOf);

        Assert.Equal((longBars, midBars, shortBars), (sample.Long.Count, sample.Mid.Count, sample.Short.Count));
        Assert.True(sample.BarCount + 1 <= 450);
        Assert.Equal(sample.Long[^1].Start + MarketSample.LongStep, sample.Mid[0].Start);
        Assert.Equal(sample.Mid[^1].Start + MarketSample.MidStep, sample.Short[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, minute / 5 * 5, 0, TimeSpan.Zero), sample.Short[^1].Start);
    }

    [Fact]
    public async Task SampleAsync_OneRoundTrip_FasterThanLoadingRawMinutes()
    {
        var sampler = new MarketSamplingQuery(database.DataSource);
        await sampler.SampleAsync(Market, AsOf);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        const string raw = "SELECT ts, open, high, low, close, volume FROM market_data WHERE market = @market AND ts >= @from AND ts <= @asOf ORDER BY ts";
        var rawArgs = new { market = Market, from = LongStart.UtcDateTime, asOf = AsOf.UtcDateTime };
        _ = (await connection.QueryAsync<RawMinute>(raw, rawArgs)).AsList();

        // Best of five each: the shared test machine is noisy.
        var sampledMs = double.MaxValue;
        var loadedMs = double.MaxValue;
        MarketSample sample = null!;
        List<RawMinute> rows = [];
        for (var run = 0; run < 5; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            sample = await sampler.SampleAsync(Market, AsOf);
            sampledMs = Math.Min(sampledMs, stopwatch.Elapsed.TotalMilliseconds);
            stopwatch.Restart();
            rows = (await connection.QueryAsync<RawMinute>(raw, rawArgs)).AsList();
            loadedMs = Math.Min(loadedMs, stopwatch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"P5: SQL sampling {sampledMs:0.0} ms for {sample.BarCount + 1} rows; " +
                         $"loading the raw minutes alone {loadedMs:0.0} ms for {rows.Count} rows (ratio {loadedMs / sampledMs:0.0}x)");
        Assert.True(sample.BarCount + 1 <= 450);
        Assert.True(rows.Count > 20_000);
    }

    [Fact]
    public async Task SampleAsync_NoDataForMarket_EmptySample()
    {
        var sample = await new MarketSamplingQuery(database.DataSource).SampleAsync("KRW-XRP", AsOf);

        Assert.True(sample.IsEmpty);
        Assert.Null(sample.Latest);
    }

    private sealed record RawMinute(DateTime Ts, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);

    private static int Index(DateTimeOffset ts) => (int)(ts - SeriesStart).TotalMinutes;

    private static bool Stored(int i)
    {
        var ts = SeriesStart.AddMinutes(i);
        return !(ts >= MissingHour && ts < MissingHour.AddHours(1)) && !(ts >= HalfMissingHour && ts < HalfMissingHour.AddMinutes(30))
               && ts <= AsOf;
    }

    private static SampledBar Minute(int i)
    {
        var open = 100_000_000m + (1_000m * i);
        return new SampledBar(SeriesStart.AddMinutes(i), open, open + 1_000m + (i % 7 * 100m), open - 1_000m - (i % 5 * 100m), open + 500m, 1 + (i % 3));
    }

    /// <summary>Buckets computed the slow way: every stored minute of each step, in C#.</summary>
    private static List<SampledBar> Expected(DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var bars = new List<SampledBar>();
        for (var start = from; start < to; start += step)
        {
            var minutes = Enumerable.Range(Index(start), (int)step.TotalMinutes).Where(Stored).Select(Minute).ToList();
            if (minutes.Count > 0)
            {
                bars.Add(new SampledBar(start, minutes[0].Open, minutes.Max(m => m.High), minutes.Min(m => m.Low), minutes[^1].Close, minutes.Sum(m => m.Volume)));
            }
        }
        return bars;
    }

    private static void AssertBars(List<SampledBar> expected, IReadOnlyList<SampledBar> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
