using BitcoinAutoTrading.Core.Signals.Sampling;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// SPEC §4.1 in one statement and one round trip: the minutes of the last 14 days + 25 h are bucketed
/// into 60/15/5-minute OHLC bars (~444 rows) inside PostgreSQL, plus the newest minute for <c>market_data_id</c>. The raw minutes never leave the database.
/// </summary>
public sealed class MarketSamplingQuery(NpgsqlDataSource dataSource) : IMarketSampler
{
    // The short window ends at the end of the 5-minute bucket holding asOf, so its last bar is the one still forming.
    // Mid and long bins take the start of their own window as origin: each window holds exactly 96 / 336 whole
    // buckets and ends where the next begins, whatever the wall-clock alignment.
    // The 444 bins are enumerated up front and each one aggregates its own index range (an index-only scan on
    // 0004's covering index), so the work follows the window, not the table, and the planner knows the row count:
    // grouping computed bucket keys instead made it guess ~20k groups and hash-join the whole table twice.
    // Integer generate_series with constant bounds is what gives the planner the exact bin count.
    internal const string Sql = """
        WITH w AS (
            SELECT b.short_end,
                   b.short_end - interval '1 hour'                      AS short_start,
                   b.short_end - interval '25 hours'                    AS mid_start,
                   b.short_end - interval '25 hours' - interval '14 days' AS long_start
            FROM (SELECT date_bin('5 minutes', @asOf::timestamptz, timestamptz '2000-01-01 00:00:00+00')
                         + interval '5 minutes' AS short_end) b
        ),
        bins AS (
            SELECT 1 AS tier, w.long_start + k * interval '60 minutes' AS start, w.long_start + (k + 1) * interval '60 minutes' AS stop
            FROM w, generate_series(0, 335) k
            UNION ALL
            SELECT 2, w.mid_start + k * interval '15 minutes', w.mid_start + (k + 1) * interval '15 minutes'
            FROM w, generate_series(0, 95) k
            UNION ALL
            SELECT 3, w.short_start + k * interval '5 minutes', w.short_start + (k + 1) * interval '5 minutes'
            FROM w, generate_series(0, 11) k
        )
        -- A bin without minutes aggregates to nulls, finds no open row and drops out of the inner lateral join.
        SELECT b.tier AS Tier, b.start AS Start, NULL::bigint AS Id,
               o.open AS Open, a.high AS High, a.low AS Low, c.close AS Close, a.volume AS Volume
        FROM bins b
        CROSS JOIN LATERAL (
            SELECT min(ts) AS first_ts, max(ts) AS last_ts, max(high) AS high, min(low) AS low, sum(volume) AS volume
            FROM market_data
            WHERE market = @market AND ts >= b.start AND ts < b.stop AND ts <= @asOf::timestamptz) a
        CROSS JOIN LATERAL (SELECT open FROM market_data WHERE market = @market AND ts = a.first_ts LIMIT 1) o
        CROSS JOIN LATERAL (SELECT close FROM market_data WHERE market = @market AND ts = a.last_ts LIMIT 1) c
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
