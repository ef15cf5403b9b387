using BitcoinAutoTrading.Core.Signals.Sampling;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// SPEC §4.1 in one statement and one round trip: the minutes of the last 14 days + 25 h are bucketed with
/// <c>date_bin</c> into 60/15/5-minute OHLC bars (~444 rows) inside PostgreSQL, plus the newest minute for
/// <c>market_data_id</c>. The raw minutes never leave the database.
/// </summary>
public sealed class MarketSamplingQuery(NpgsqlDataSource dataSource) : IMarketSampler
{
    // The short window ends at the end of the 5-minute bucket holding asOf, so its last bar is the one still forming.
    // Mid and long bins take the start of their own window as origin: each window holds exactly 96 / 336 whole
    // buckets and ends where the next begins, whatever the wall-clock alignment.
    internal const string Sql = """
        WITH w AS (
            SELECT b.short_end,
                   b.short_end - interval '1 hour'                      AS short_start,
                   b.short_end - interval '25 hours'                    AS mid_start,
                   b.short_end - interval '25 hours' - interval '14 days' AS long_start
            FROM (SELECT date_bin('5 minutes', @asOf::timestamptz, timestamptz '2000-01-01 00:00:00+00')
                         + interval '5 minutes' AS short_end) b
        ),
        minutes AS (
            SELECT m.ts, m.open, m.high, m.low, m.close, m.volume,
                   CASE WHEN m.ts >= w.short_start THEN 3 WHEN m.ts >= w.mid_start THEN 2 ELSE 1 END AS tier,
                   CASE WHEN m.ts >= w.short_start THEN date_bin('5 minutes', m.ts, w.short_start)
                        WHEN m.ts >= w.mid_start THEN date_bin('15 minutes', m.ts, w.mid_start)
                        ELSE date_bin('60 minutes', m.ts, w.long_start) END AS bucket
            FROM market_data m CROSS JOIN w
            WHERE m.market = @market AND m.ts >= w.long_start AND m.ts <= @asOf::timestamptz
        ),
        buckets AS (
            SELECT tier, bucket, min(ts) AS first_ts, max(ts) AS last_ts,
                   max(high) AS high, min(low) AS low, sum(volume) AS volume
            FROM minutes
            GROUP BY tier, bucket
        )
        -- Open and close come from the bucket's first and last minute by unique-index lookups, which is cheaper
        -- than ordering every bucket's minutes.
        SELECT b.tier AS Tier, b.bucket AS Start, NULL::bigint AS Id,
               o.open AS Open, b.high AS High, b.low AS Low, c.close AS Close, b.volume AS Volume
        FROM buckets b
        JOIN market_data o ON o.market = @market AND o.ts = b.first_ts
        JOIN market_data c ON c.market = @market AND c.ts = b.last_ts
        UNION ALL
        (SELECT 0, ts, id, open, high, low, close, volume
         FROM market_data
         WHERE market = @market AND ts <= @asOf::timestamptz
         ORDER BY ts DESC
         LIMIT 1)
        ORDER BY 1, 2
        """;

    public async Task<MarketSample> SampleAsync(string market, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Sql, new { market, asOf = asOf.ToUniversalTime() }, cancellationToken: cancellationToken)).ConfigureAwait(false);

        var tiers = new List<SampledBar>[4];
        for (var i = 0; i < tiers.Length; i++)
        {
            tiers[i] = [];
        }
        LatestMinute? latest = null;
        foreach (var row in rows)
        {
            if (row.Tier == 0)
            {
                latest = new LatestMinute(row.Id!.Value, Utc(row.Start), row.Close);
                continue;
            }
            tiers[row.Tier].Add(new SampledBar(Utc(row.Start), row.Open, row.High, row.Low, row.Close, row.Volume));
        }
        return new MarketSample(market, tiers[1], tiers[2], tiers[3], latest);
    }

    // Npgsql reads timestamptz as a UTC DateTime.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record Row(int Tier, DateTime Start, long? Id, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);
}
