using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>market_data</c> and its rollups, <c>market_bars</c> (written only here).</summary>
public sealed class MarketDataRepository(NpgsqlDataSource dataSource) : IMarketDataRepository
{
    private const string Columns = """
        id AS Id, market AS Market, ts AS Ts, open AS Open, high AS High, low AS Low, close AS Close,
        volume AS Volume, value_krw AS ValueKrw
        """;

    /// <summary>Bucket boundaries of every bar; the same origin as the sampler's and migration 0006's.</summary>
    internal const string Origin = "timestamptz '2000-01-01 00:00:00+00'";

    /// <summary>
    /// Serialises the writers of market data (collector, purge, imports): each one's statement then starts after the
    /// previous writer committed, so the bars it re-aggregates see every minute already stored.
    /// </summary>
    internal const string WriterLockSql = "SELECT pg_advisory_xact_lock(7350231904118006)";

    /// <summary>
    /// The whole batch travels as eight arrays in one statement. An unchanged minute is not rewritten, so a repeated
    /// batch leaves no dead rows behind and the affected count reports real changes only. The minutes actually written
    /// (RETURNING) name the buckets to re-aggregate at 5, 15 and 60 minutes. Every part of one statement reads the
    /// snapshot taken before it started, so market_data still shows the old version of a rewritten minute and not a new
    /// one: a bucket's minutes are the ones this statement wrote and, for every other minute, the stored version
    /// (DISTINCT ON keeps the written copy first). Only sorts and index range scans: the planner cannot know how many
    /// rows the arrays hold, so nothing here may depend on that estimate. An unchanged bar is not rewritten either.
    /// </summary>
    internal const string UpsertSql = $"""
        WITH written AS (
            INSERT INTO market_data AS m (market, ts, open, high, low, close, volume, value_krw)
            SELECT * FROM unnest(@markets::text[], @starts::timestamptz[], @opens::numeric[], @highs::numeric[],
                                 @lows::numeric[], @closes::numeric[], @volumes::numeric[], @valuesKrw::numeric[])
            ON CONFLICT (market, ts) DO UPDATE
                SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                    volume = excluded.volume, value_krw = excluded.value_krw
                WHERE (m.open, m.high, m.low, m.close, m.volume, m.value_krw)
                    IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.value_krw)
            RETURNING m.market, m.ts, m.open, m.high, m.low, m.close, m.volume, m.value_krw
        ),
        written_binned AS (
            SELECT w.*, r.resolution, date_bin(r.resolution * interval '1 minute', w.ts, {Origin}) AS start
            FROM written w
            CROSS JOIN (VALUES (5::smallint), (15::smallint), (60::smallint)) AS r(resolution)
        ),
        buckets AS (
            SELECT DISTINCT market, resolution, start FROM written_binned
        ),
        bucket_minutes AS (
            SELECT DISTINCT ON (market, resolution, start, ts) market, resolution, start, ts, open, high, low, close, volume, value_krw
            FROM (SELECT 0 AS source, market, resolution, start, ts, open, high, low, close, volume, value_krw
                  FROM written_binned
                  UNION ALL
                  SELECT 1, b.market, b.resolution, b.start, m.ts, m.open, m.high, m.low, m.close, m.volume, m.value_krw
                  FROM buckets b
                  -- OFFSET 0 keeps this one index range scan per bucket: flattened into a join, the planner (blind to
                  -- the bucket count) may hash-join a scan of the whole table instead.
                  CROSS JOIN LATERAL (
                      SELECT * FROM market_data m
                      WHERE m.market = b.market AND m.ts >= b.start AND m.ts < b.start + b.resolution * interval '1 minute'
                      OFFSET 0) m) u
            ORDER BY market, resolution, start, ts, source
        ),
        bars AS (
            INSERT INTO market_bars AS b (market, resolution, ts, open, high, low, close, volume, value_krw, minutes)
            SELECT market, resolution, start, (array_agg(open ORDER BY ts))[1], max(high), min(low),
                   (array_agg(close ORDER BY ts DESC))[1], sum(volume), sum(value_krw), count(*)
            FROM bucket_minutes
            GROUP BY market, resolution, start
            ON CONFLICT (market, resolution, ts) DO UPDATE
                SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                    volume = excluded.volume, value_krw = excluded.value_krw, minutes = excluded.minutes
                WHERE (b.open, b.high, b.low, b.close, b.volume, b.value_krw, b.minutes)
                    IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume,
                                      excluded.value_krw, excluded.minutes)
        )
        SELECT count(*)::int FROM written
        """;

    /// <summary>
    /// The window [since, first whole hour) from minutes, everything after from hourly bars (the newest, still forming,
    /// holds every stored minute of its hour, which the open-ended window wants too). First open and last close come
    /// from the two edge minutes through the (market, ts) index. At most 59 minutes and one bar per hour are read.
    /// </summary>
    internal const string StatsSql = """
        SELECT f.ts AS FromTs, l.ts AS ToTs, f.open AS Open, s.high AS High, s.low AS Low, l.close AS Close,
               round((l.close - f.open) / f.open * 100, 6) AS ChangePct,
               s.volume AS Volume, s.value_krw AS ValueKrw, s.minutes AS Minutes
        FROM (SELECT max(high) AS high, min(low) AS low, sum(volume) AS volume, sum(value_krw) AS value_krw,
                     sum(minutes)::int AS minutes
              FROM (SELECT high, low, volume, value_krw, 1 AS minutes
                    FROM market_data
                    WHERE market = @market AND ts >= @since AND ts < @firstHour
                    UNION ALL
                    SELECT high, low, volume, value_krw, minutes
                    FROM market_bars
                    WHERE market = @market AND resolution = 60 AND ts >= @firstHour) p) s
        CROSS JOIN LATERAL (SELECT ts, open FROM market_data WHERE market = @market AND ts >= @since ORDER BY ts LIMIT 1) f
        CROSS JOIN LATERAL (SELECT ts, close FROM market_data WHERE market = @market AND ts >= @since ORDER BY ts DESC LIMIT 1) l
        """;

    /// <summary>Migration 0006's aggregate over whole hours of one market, as an upsert that skips unchanged bars.</summary>
    internal const string RebuildSql = $"""
        WITH written AS (
            INSERT INTO market_bars AS b (market, resolution, ts, open, high, low, close, volume, value_krw, minutes)
            SELECT m.market, r.resolution, date_bin(r.resolution * interval '1 minute', m.ts, {Origin}),
                   (array_agg(m.open ORDER BY m.ts))[1], max(m.high), min(m.low), (array_agg(m.close ORDER BY m.ts DESC))[1],
                   sum(m.volume), sum(m.value_krw), count(*)
            FROM market_data m
            CROSS JOIN (VALUES (5::smallint), (15::smallint), (60::smallint)) AS r(resolution)
            WHERE m.market = @market AND m.ts >= date_bin('1 hour', @from, {Origin})
              AND m.ts < date_bin('1 hour', @to - interval '1 microsecond', {Origin}) + interval '1 hour'
            GROUP BY m.market, r.resolution, date_bin(r.resolution * interval '1 minute', m.ts, {Origin})
            ON CONFLICT (market, resolution, ts) DO UPDATE
                SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                    volume = excluded.volume, value_krw = excluded.value_krw, minutes = excluded.minutes
                WHERE (b.open, b.high, b.low, b.close, b.volume, b.value_krw, b.minutes)
                    IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume,
                                      excluded.value_krw, excluded.minutes)
            RETURNING 1
        )
        SELECT count(*)::int FROM written
        """;

    /// <summary>Whole hours only, so no bar keeps part of its minutes; hourly bars are left to their own retention.</summary>
    internal const string PurgeSql = $"""
        WITH gone AS (
            DELETE FROM market_data WHERE ts < date_bin('1 hour', @cutoff, {Origin}) RETURNING 1
        ),
        bars AS (
            DELETE FROM market_bars WHERE resolution IN (5, 15) AND ts < date_bin('1 hour', @cutoff, {Origin})
        )
        SELECT count(*)::int FROM gone
        """;

    public async Task<int> UpsertMinutesAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candles);
        if (candles.Count == 0)
        {
            return 0;
        }

        // PostgreSQL refuses to update one row twice in a statement: the last copy of a minute wins.
        var minutes = candles
            .GroupBy(c => (c.Market, Start: DbValues.Utc(c.Start)))
            .Select(g => (g.Key.Start, Candle: g.Last()))
            .ToList();
        NpgsqlParameter[] args =
        [
            new("markets", minutes.Select(m => m.Candle.Market).ToArray()),
            new("starts", minutes.Select(m => m.Start).ToArray()),
            new("opens", minutes.Select(m => m.Candle.Open).ToArray()),
            new("highs", minutes.Select(m => m.Candle.High).ToArray()),
            new("lows", minutes.Select(m => m.Candle.Low).ToArray()),
            new("closes", minutes.Select(m => m.Candle.Close).ToArray()),
            new("volumes", minutes.Select(m => m.Candle.Volume).ToArray()),
            new("valuesKrw", minutes.Select(m => m.Candle.ValueKrw).ToArray()),
        ];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteLockedAsync(connection, UpsertSql, args, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MarketMinute?> GetLatestAsync(string market, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<MinuteRow>(new CommandDefinition(
            $"SELECT {Columns} FROM market_data WHERE market = @market ORDER BY ts DESC LIMIT 1",
            new { market }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<MarketMinute>> GetHistoryAsync(
        string market, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<MinuteRow>(new CommandDefinition(
            $"SELECT {Columns} FROM market_data WHERE market = @market AND ts >= @since ORDER BY ts DESC LIMIT @limit",
            new { market, since = DbValues.Utc(since), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public async Task<IReadOnlyList<MarketBar>> GetBarsAsync(
        string market, CandleInterval resolution, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        if (!BarResolutions.IsRollup(resolution))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Bars are stored at 5 m, 15 m and 1 h only.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BarRow>(new CommandDefinition(
            """
            SELECT ts AS Ts, open AS Open, high AS High, low AS Low, close AS Close, volume AS Volume, value_krw AS ValueKrw,
                   minutes AS Minutes
            FROM market_bars
            WHERE market = @market AND resolution = @resolution AND ts >= @since
            ORDER BY ts DESC
            LIMIT @limit
            """,
            new { market, resolution = (short)resolution, since = DbValues.Utc(since), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new MarketBar(
            market, resolution, DbValues.ToOffset(r.Ts), r.Open, r.High, r.Low, r.Close, r.Volume, r.ValueKrw, r.Minutes)).ToList();
    }

    public async Task<int> RebuildBarsAsync(
        string market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteLockedAsync(connection, RebuildSql,
            [new NpgsqlParameter("market", market), new NpgsqlParameter("from", DbValues.Utc(from)), new NpgsqlParameter("to", DbValues.Utc(to))],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<MarketStats?> GetStatsAsync(
        string market, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var from = DbValues.Utc(since);
        var firstHour = CeilingToHour(from);
        var row = await connection.QuerySingleOrDefaultAsync<StatsRow>(new CommandDefinition(
            StatsSql, new { market, since = from, firstHour }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null
            ? null
            : new MarketStats(
                market, DbValues.ToOffset(row.FromTs), DbValues.ToOffset(row.ToTs), row.Open, row.High, row.Low, row.Close,
                row.ChangePct, row.Volume, row.ValueKrw, row.Minutes);
    }

    public async Task<MarketMinute?> GetCloseAtOrBeforeAsync(
        string market, DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<MinuteRow>(new CommandDefinition(
            $"SELECT {Columns} FROM market_data WHERE market = @market AND ts <= @instant ORDER BY ts DESC LIMIT 1",
            new { market, instant = DbValues.Utc(instant) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Signals that saw a purged minute keep their row: the foreign key sets market_data_id to null.
        return await ExecuteLockedAsync(connection, PurgeSql, [new NpgsqlParameter("cutoff", DbValues.Utc(cutoff))], cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<int> DeleteHourlyBarsOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM market_bars WHERE resolution = 60 AND ts < @cutoff", new { cutoff = DbValues.Utc(cutoff) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The writer lock and the statement as one batch: one round trip, one implicit transaction (Npgsql sends a single
    /// Sync), so the lock is held until the statement's changes commit.
    /// </summary>
    private static async Task<int> ExecuteLockedAsync(
        NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(WriterLockSql));
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        // The first result is the lock's (void) row; the count is the second.
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt32(0);
    }

    private static DateTimeOffset CeilingToHour(DateTimeOffset utc)
    {
        var floor = UtcTime.FloorToHour(utc);
        return floor == utc ? floor : floor.AddHours(1);
    }

    private sealed class MinuteRow
    {
        public long Id { get; set; }
        public string Market { get; set; } = "";
        public DateTime Ts { get; set; }
        public decimal Open { get; set; }
        public decimal High { get; set; }
        public decimal Low { get; set; }
        public decimal Close { get; set; }
        public decimal Volume { get; set; }
        public decimal ValueKrw { get; set; }

        public MarketMinute ToDomain() =>
            new(Id, Market, DbValues.ToOffset(Ts), Open, High, Low, Close, Volume, ValueKrw);
    }

    private sealed class BarRow
    {
        public DateTime Ts { get; set; }
        public decimal Open { get; set; }
        public decimal High { get; set; }
        public decimal Low { get; set; }
        public decimal Close { get; set; }
        public decimal Volume { get; set; }
        public decimal ValueKrw { get; set; }
        public short Minutes { get; set; }
    }

    private sealed class StatsRow
    {
        public DateTime FromTs { get; set; }
        public DateTime ToTs { get; set; }
        public decimal Open { get; set; }
        public decimal High { get; set; }
        public decimal Low { get; set; }
        public decimal Close { get; set; }
        public decimal ChangePct { get; set; }
        public decimal Volume { get; set; }
        public decimal ValueKrw { get; set; }
        public int Minutes { get; set; }
    }
}
