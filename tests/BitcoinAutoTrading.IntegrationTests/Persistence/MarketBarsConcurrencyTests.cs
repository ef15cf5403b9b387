using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>
/// Two writers of one hour at once — the collector on one instance and <c>bat import</c> (or a second instance's
/// back-fill) on another, each with its own connection pool — released together, minute by minute, into the same
/// 5/15/60-minute buckets. Without the writer lock each statement re-aggregates a bucket from a snapshot missing the
/// other's uncommitted minute and the last commit stores a bar short of a minute (measured with the lock replaced by a
/// no-op: 60 of 102 bars wrong). Every bar must equal the aggregate of its stored minutes, computed here by PostgreSQL
/// independently of the repository's SQL.
/// </summary>
public sealed class MarketBarsConcurrencyTests(PostgresDatabaseFixture db, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>
{
    private const string Market = "KRW-BTC";
    private const int Hours = 6;
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task UpsertMinutesAsync_TwoInstancesWritingTheSameBucketsAtOnce_EveryBarHoldsEveryMinute()
    {
        await db.ResetAsync();
        await using var second = PostgresDataSourceFactory.Create(db.ConnectionString, new DatabaseOptions());
        var instanceA = new MarketDataRepository(db.DataSource);
        var instanceB = new MarketDataRepository(second);
        // Round r: A writes minute 5r and B minute 5r + 1 of the same fresh 5-minute bucket, released together, and
        // nothing writes that bucket again — so a bar short of a minute would stay short.
        var rounds = Hours * 12;
        using var together = new Barrier(2);
        await Task.WhenAll(
            Task.Factory.StartNew(() => WriteAsync(instanceA, together, rounds, 0), TaskCreationOptions.LongRunning).Unwrap(),
            Task.Factory.StartNew(() => WriteAsync(instanceB, together, rounds, 1), TaskCreationOptions.LongRunning).Unwrap());

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var bars = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM market_bars");
        var wrong = (await connection.QueryAsync<string>("""
            WITH expected AS (
                SELECT m.market, r.resolution, date_bin(r.resolution * interval '1 minute', m.ts, timestamptz '2000-01-01 00:00:00+00') AS ts,
                       (array_agg(m.open ORDER BY m.ts))[1] AS open, max(m.high) AS high, min(m.low) AS low,
                       (array_agg(m.close ORDER BY m.ts DESC))[1] AS close, sum(m.volume) AS volume, sum(m.value_krw) AS value_krw,
                       count(*)::int AS minutes
                FROM market_data m CROSS JOIN (VALUES (5::smallint), (15::smallint), (60::smallint)) AS r(resolution)
                GROUP BY 1, 2, 3)
            SELECT coalesce(e.resolution, b.resolution) || 'm ' || coalesce(e.ts, b.ts)::text || ': expected '
                   || coalesce(e.minutes::text, 'no bar') || ' minutes, stored ' || coalesce(b.minutes::text, 'no bar')
            FROM expected e
            FULL JOIN market_bars b ON b.market = e.market AND b.resolution = e.resolution AND b.ts = e.ts
            WHERE (e.open, e.high, e.low, e.close, e.volume, e.value_krw, e.minutes)
                  IS DISTINCT FROM (b.open, b.high, b.low, b.close, b.volume, b.value_krw, b.minutes)
            ORDER BY 1
            """)).ToList();
        output.WriteLine($"{rounds * 2} minutes by two writers in {rounds} simultaneous pairs, {bars} bars, {wrong.Count} wrong");
        foreach (var line in wrong.Take(10))
        {
            output.WriteLine(line);
        }

        Assert.Equal(rounds * 2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM market_data"));
        Assert.Equal(Hours * (12 + 4 + 1), bars);
        Assert.Empty(wrong);
    }

    private static async Task WriteAsync(MarketDataRepository repository, Barrier together, int rounds, int offset)
    {
        for (var round = 0; round < rounds; round++)
        {
            together.SignalAndWait();
            await repository.UpsertMinutesAsync([Minute((round * 5) + offset)]);
        }
    }

    private static Candle Minute(int i)
    {
        var price = 100_000_000m + (i * 1_000m);
        return new Candle(Market, Start.AddMinutes(i), price, price + 500m, price - 500m, price + 100m, 0.01m * (i + 1), price * 0.01m * (i + 1));
    }
}
