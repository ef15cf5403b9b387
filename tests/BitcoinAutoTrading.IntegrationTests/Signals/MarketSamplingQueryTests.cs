using System.Diagnostics;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Signals;

/// <summary>SPEC §4.1 on a generated minute series whose every bucket's OHLC is known in advance.</summary>
public sealed class MarketSamplingQueryTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset AsOf = new(2026, 1, 15, 12, 2, 30, TimeSpan.Zero);
    // Windows by hand: the 5-minute bucket holding 12:02:30 ends 12:05; short = 1 h, mid = 24 h, long = 14 days before.
    private static readonly DateTimeOffset ShortEnd = new(2026, 1, 15, 12, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ShortStart = ShortEnd.AddHours(-1);
    private static readonly DateTimeOffset MidStart = ShortStart.AddHours(-24);
    private static readonly DateTimeOffset LongStart = MidStart.AddDays(-14);
    // Series starts 2 h before the long window and runs 10 min past asOf: both ends must be cut off.
    private static readonly DateTimeOffset SeriesStart = LongStart.AddHours(-2);
    private static readonly int MinuteCount = (int)(AsOf.AddMinutes(10) - SeriesStart).TotalMinutes;
    // One whole long-window hour is missing (no bar may be invented for it), another hour half missing.
    private static readonly DateTimeOffset MissingHour = LongStart.AddHours(100);
    private static readonly DateTimeOffset HalfMissingHour = LongStart.AddHours(200);

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        // Minute i: open = 100,000,000 + 1,000·i; close = open + 500; high/low wobble so the extreme is not always the last minute.
        const string insert = """
            INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
            SELECT @market, @start + make_interval(mins => i),
                   100000000 + i * 1000, 100000000 + i * 1000 + 1000 + (i % 7) * 100,
                   100000000 + i * 1000 - 1000 - (i % 5) * 100, 100000000 + i * 1000 + 500,
                   1 + (i % 3), (100000000 + i * 1000 + 500) * (1 + (i % 3))
            FROM generate_series(0, @count - 1) AS i
            """;
        await connection.ExecuteAsync(insert, new { market = Market, start = SeriesStart.UtcDateTime, count = MinuteCount });
        await connection.ExecuteAsync(insert, new { market = "KRW-ETH", start = SeriesStart.UtcDateTime, count = MinuteCount });
        await connection.ExecuteAsync(
            "DELETE FROM market_data WHERE market = @market AND ((ts >= @a AND ts < @b) OR (ts >= @c AND ts < @d))",
            new { market = Market, a = MissingHour.UtcDateTime, b = MissingHour.AddHours(1).UtcDateTime, c = HalfMissingHour.UtcDateTime, d = HalfMissingHour.AddMinutes(30).UtcDateTime });
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
        Assert.Equal(12, sample.Short.Count);
        Assert.True(sample.Long[^1].Start + MarketSample.LongStep == sample.Mid[0].Start);
        Assert.True(sample.Mid[^1].Start + MarketSample.MidStep == sample.Short[0].Start);
        // The last short bucket is still forming: 12:00, 12:01 and 12:02 only.
        Assert.Equal(Minute(Index(AsOf.AddSeconds(-30))).Close, sample.Short[^1].Close);

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
