namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// The readers as they were before the rollups (issue #15): the same answers, aggregated from every minute of the window
/// on each read. Kept here only as the side-by-side baseline; the harness checks they agree with the rollup readers.
/// </summary>
internal static class MinuteAggregateQueries
{
    /// <summary>The plain minute upsert, without maintaining any bar (P8's cost baseline).</summary>
    public const string PlainUpsert = """
        INSERT INTO market_data AS m (market, ts, open, high, low, close, volume, value_krw)
        SELECT * FROM unnest(@markets::text[], @starts::timestamptz[], @opens::numeric[], @highs::numeric[],
                             @lows::numeric[], @closes::numeric[], @volumes::numeric[], @valuesKrw::numeric[])
        ON CONFLICT (market, ts) DO UPDATE
            SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                volume = excluded.volume, value_krw = excluded.value_krw
            WHERE (m.open, m.high, m.low, m.close, m.volume, m.value_krw)
                IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.value_krw)
        """;

    /// <summary>Market stats as one aggregate over every minute of the window.</summary>
    public const string Stats = """
        SELECT s.first_ts AS FromTs, s.last_ts AS ToTs, f.open AS Open, s.high AS High, s.low AS Low, l.close AS Close,
               round((l.close - f.open) / f.open * 100, 6) AS ChangePct,
               s.volume AS Volume, s.value_krw AS ValueKrw, s.minutes AS Minutes
        FROM (SELECT min(ts) AS first_ts, max(ts) AS last_ts, max(high) AS high, min(low) AS low,
                     sum(volume) AS volume, sum(value_krw) AS value_krw, count(*)::int AS minutes
              FROM market_data
              WHERE market = @market AND ts >= @since) s
        CROSS JOIN LATERAL (SELECT open FROM market_data WHERE market = @market AND ts = s.first_ts) f
        CROSS JOIN LATERAL (SELECT close FROM market_data WHERE market = @market AND ts = s.last_ts) l
        """;

    /// <summary>
    /// The prompt sample with the rollup reader's clock-aligned bins, each bin aggregating its minutes (the pre-rollup
    /// query's enumerated-bins plan on 0004's covering index).
    /// </summary>
    public const string Sample = """
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
        ),
        bins AS (
            SELECT 1 AS tier, w.long_start + k * interval '60 minutes' AS start, w.long_start + (k + 1) * interval '60 minutes' AS stop
            FROM w, generate_series(0, 335) k
            UNION ALL
            SELECT 2, w.mid_start + k * interval '15 minutes', w.mid_start + (k + 1) * interval '15 minutes'
            FROM w, generate_series(0, 98) k WHERE w.mid_start + k * interval '15 minutes' < w.short_start
            UNION ALL
            SELECT 3, w.short_start + k * interval '5 minutes', w.short_start + (k + 1) * interval '5 minutes'
            FROM w, generate_series(0, 13) k WHERE w.short_start + k * interval '5 minutes' <= w.forming_start
        )
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

    /// <summary>History at 1 h grouped from the minutes, newest first.</summary>
    public const string HourlyHistory = """
        SELECT date_bin('1 hour', ts, timestamptz '2000-01-01 00:00:00+00') AS Ts,
               (array_agg(open ORDER BY ts))[1] AS Open, max(high) AS High, min(low) AS Low,
               (array_agg(close ORDER BY ts DESC))[1] AS Close, sum(volume) AS Volume, sum(value_krw) AS ValueKrw,
               count(*)::int AS Minutes
        FROM market_data
        WHERE market = @market AND ts >= @since
        GROUP BY 1
        ORDER BY 1 DESC
        LIMIT @limit
        """;
}
