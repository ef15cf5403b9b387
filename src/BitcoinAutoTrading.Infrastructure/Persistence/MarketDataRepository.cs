using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>market_data</c>.</summary>
public sealed class MarketDataRepository(NpgsqlDataSource dataSource) : IMarketDataRepository
{
    private const string Columns = """
        id AS Id, market AS Market, ts AS Ts, open AS Open, high AS High, low AS Low, close AS Close,
        volume AS Volume, value_krw AS ValueKrw
        """;

    /// <summary>
    /// The whole batch travels as eight arrays in one command. An unchanged minute is not rewritten, so a repeated
    /// batch leaves no dead rows behind and the affected count reports real changes only.
    /// </summary>
    internal const string UpsertSql = """
        INSERT INTO market_data AS m (market, ts, open, high, low, close, volume, value_krw)
        SELECT * FROM unnest(@markets::text[], @starts::timestamptz[], @opens::numeric[], @highs::numeric[],
                             @lows::numeric[], @closes::numeric[], @volumes::numeric[], @valuesKrw::numeric[])
        ON CONFLICT (market, ts) DO UPDATE
            SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                volume = excluded.volume, value_krw = excluded.value_krw
            WHERE (m.open, m.high, m.low, m.close, m.volume, m.value_krw)
                IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.value_krw)
        """;

    /// <summary>
    /// First open and last close come from the two edge minutes through the (market, ts) index, the rest from one
    /// aggregate: one row leaves the database whatever the window's size.
    /// </summary>
    internal const string StatsSql = """
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
        var args = new
        {
            markets = minutes.Select(m => m.Candle.Market).ToArray(),
            starts = minutes.Select(m => m.Start).ToArray(),
            opens = minutes.Select(m => m.Candle.Open).ToArray(),
            highs = minutes.Select(m => m.Candle.High).ToArray(),
            lows = minutes.Select(m => m.Candle.Low).ToArray(),
            closes = minutes.Select(m => m.Candle.Close).ToArray(),
            volumes = minutes.Select(m => m.Candle.Volume).ToArray(),
            valuesKrw = minutes.Select(m => m.Candle.ValueKrw).ToArray(),
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(UpsertSql, args, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
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

    public async Task<MarketStats?> GetStatsAsync(
        string market, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<StatsRow>(new CommandDefinition(
            StatsSql, new { market, since = DbValues.Utc(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM market_data WHERE ts < @cutoff", new { cutoff = DbValues.Utc(cutoff) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
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
