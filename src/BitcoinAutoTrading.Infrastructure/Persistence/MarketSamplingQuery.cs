using BitcoinAutoTrading.Core.Signals.Sampling;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// SPEC §4.1 in one statement and one round trip: 14 days of hourly bars, 24 h of 15-minute bars and 1 h of 5-minute
/// bars (≤ 449 rows) read from the rollups (<c>market_bars</c>), the forming 5-minute bucket aggregated from its minutes,
/// plus the newest minute for <c>market_data_id</c>. The raw minutes never leave the database, and the bins cost one row
/// each instead of their minutes.
/// </summary>
public sealed class MarketSamplingQuery(NpgsqlDataSource dataSource) : IMarketSampler
{
    // Clock-aligned, non-overlapping tiers, each ending where the next begins (so every bin is a stored bar):
    //   short: the 5-minute buckets from the quarter hour at or before (forming bucket's end − 1 h) to the forming
    //          bucket's end: 12–14 bins, the last one still forming;
    //   mid:   the 15-minute buckets from the hour at or before (short start − 24 h) to short start: 96–99 bins;
    //   long:  the 336 hourly buckets of the 14 days before mid start.
    // The forming bucket may hold minutes after asOf (a past asOf, as in a backtest), so it alone is aggregated from the
    // minutes at or before asOf; every earlier bucket ends before asOf and its stored bar is exact.
    internal const string Sql = """
        WITH f AS (
            SELECT date_bin('5 minutes', @asOf::timestamptz, timestamptz '2000-01-01 00:00:00+00') AS forming_start
        ),
        s AS (
            SELECT f.forming_start,
                   date_bin('15 minutes', f.forming_start + interval '5 minutes' - interval '1 hour',
                            timestamptz '2000-01-01 00:00:00+00') AS short_start
            FROM f
        ),
        w AS (
            SELECT s.forming_start, s.short_start, m.mid_start, m.mid_start - interval '14 days' AS long_start
            FROM s
            CROSS JOIN LATERAL (SELECT date_bin('60 minutes', s.short_start - interval '24 hours',
                                                timestamptz '2000-01-01 00:00:00+00') AS mid_start) m
        )
        -- One primary-key range per tier.
        SELECT 1 AS Tier, b.ts AS Start, NULL::bigint AS Id, b.open AS Open, b.high AS High, b.low AS Low, b.close AS Close,
               b.volume AS Volume
        FROM w JOIN market_bars b
          ON b.market = @market AND b.resolution = 60 AND b.ts >= w.long_start AND b.ts < w.mid_start
        UNION ALL
        SELECT 2, b.ts, NULL::bigint, b.open, b.high, b.low, b.close, b.volume
        FROM w JOIN market_bars b
          ON b.market = @market AND b.resolution = 15 AND b.ts >= w.mid_start AND b.ts < w.short_start
        UNION ALL
        SELECT 3, b.ts, NULL::bigint, b.open, b.high, b.low, b.close, b.volume
        FROM w JOIN market_bars b
          ON b.market = @market AND b.resolution = 5 AND b.ts >= w.short_start AND b.ts < w.forming_start
        UNION ALL
        -- The forming bucket; without minutes it aggregates to nulls, finds no open row and drops out of the join.
        SELECT 3, w.forming_start, NULL::bigint, o.open, a.high, a.low, c.close, a.volume
        FROM w
        CROSS JOIN LATERAL (
            SELECT min(ts) AS first_ts, max(ts) AS last_ts, max(high) AS high, min(low) AS low, sum(volume) AS volume
            FROM market_data
            WHERE market = @market AND ts >= w.forming_start AND ts <= @asOf::timestamptz) a
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
