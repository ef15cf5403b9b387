using System.Globalization;
using System.Reflection;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// SPEC §12 P6: the app's own list queries (taken from the repositories, so the harness measures the shipped SQL) at
/// 100k orders, 100k signals and 1M minutes (300k in quick mode), with the indexes of 0001 and, in the same run, inside a transaction that drops them
/// (rolled back afterwards, so nothing is lost).
/// </summary>
internal sealed class IndexMeasurements(NpgsqlDataSource dataSource, bool quick)
{
    private const int Orders = 100_000;
    private const int Signals = 100_000;
    private const int Minutes = 1_000_000;
    private static readonly string[] DropIndexes =
    [
        "DROP INDEX idx_order_created_at", "DROP INDEX idx_order_status_created", "DROP INDEX idx_order_user_status",
        "DROP INDEX idx_signal_created_at", "ALTER TABLE market_data DROP CONSTRAINT uq_market_data_market_ts",
        "DROP INDEX idx_market_data_market_ts", "DROP INDEX idx_market_data_market_ts_covering",
    ];

    private int Iterations => quick ? 9 : 21;

    private int MinuteRows => quick ? Minutes * 3 / 10 : Minutes;

    public async Task SeedAsync()
    {
        // Statuses as a working bot accumulates them: mostly fills, a few cancels and failures; one row per 5 minutes.
        const string seed = """
            INSERT INTO trading_signals (market, signal_type, action_score, confidence, provider, price_at_signal, created_at)
            SELECT 'KRW-BTC', (ARRAY['BUY', 'SELL', 'HOLD', 'HOLD'])[1 + i % 4], ((i % 200) - 100) / 100.0, (i % 100) / 100.0,
                   'gemini', 150000000, timestamptz '2021-01-01 00:00+00' + i * interval '5 minutes'
            FROM generate_series(1, @signals) i;
            INSERT INTO orders (market, side, ord_type, requested_krw, identifier, status, reason, created_at, executed_volume,
                                executed_funds_krw, finished_at)
            SELECT 'KRW-BTC', 'BUY', 'price', 10000, 'bench-' || i,
                   CASE WHEN i % 100 < 90 THEN 'EXECUTED' WHEN i % 100 < 95 THEN 'CANCELLED' WHEN i % 100 < 99 THEN 'FAILED'
                        ELSE 'PARTIALLY_EXECUTED' END,
                   'signal', timestamptz '2021-01-01 00:00+00' + i * interval '5 minutes', 0.00006666, 10000,
                   timestamptz '2021-01-01 00:01+00' + i * interval '5 minutes'
            FROM generate_series(1, @orders) i;
            """;
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(seed, new { signals = Signals, orders = Orders }).ConfigureAwait(false);
        // Older minutes below the benchmark's series (and P8's back-fills) up to the table size of the row.
        var stored = await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM market_data").ConfigureAwait(false);
        await connection.ExecuteAsync("""
            INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
            SELECT 'KRW-BTC', timestamptz '2016-01-01 00:00+00' + i * interval '1 minute', 150000000, 150000000, 150000000,
                   150000000, 1, 150000000
            FROM generate_series(1, @count) i
            """, new { count = Math.Max(0, MinuteRows - stored) }, commandTimeout: 600).ConfigureAwait(false);
        await connection.ExecuteAsync("VACUUM ANALYZE market_data", commandTimeout: 600).ConfigureAwait(false);
        await connection.ExecuteAsync("VACUUM ANALYZE orders").ConfigureAwait(false);
        await connection.ExecuteAsync("VACUUM ANALYZE trading_signals").ConfigureAwait(false);
    }

    public async Task<BenchResult> P6ListQueriesAsync()
    {
        var queries = new (string Name, string Sql, object Args)[]
        {
            ("orders page", RepositorySql(typeof(OrderRepository), "ListSql", false, false), new { limit = 20 }),
            ("orders by status", RepositorySql(typeof(OrderRepository), "ListSql", true, false), new { limit = 20, status = "CANCELLED" }),
            ("signals page", RepositorySql(typeof(SignalRepository), "ListSql", false, false), new { limit = 20 }),
            // As MarketDataRepository.GetHistoryAsync issues it (its text is inline; the column list is the repository's).
            ("market history 24 h", $"SELECT {MarketColumns} FROM market_data WHERE market = @market AND ts >= @since ORDER BY ts DESC LIMIT @limit",
                new { market = BenchData.Market, since = Measurements.AsOf.AddHours(-24).UtcDateTime, limit = 100 }),
        };

        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        var withIndex = new List<(string Name, double Ms, bool IndexScan)>();
        foreach (var (name, sql, args) in queries)
        {
            var plan = await PlanAsync(connection, sql, args).ConfigureAwait(false);
            var ms = await Timing.MedianMsAsync(_ => connection.QueryAsync(sql, args), 2, Iterations).ConfigureAwait(false);
            withIndex.Add((name, ms, plan.Contains("Index Scan", StringComparison.Ordinal)));
        }

        var without = new List<double>();
        await using (var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false))
        {
            foreach (var drop in DropIndexes)
            {
                await connection.ExecuteAsync(drop, transaction: transaction).ConfigureAwait(false);
            }
            foreach (var (_, sql, args) in queries)
            {
                without.Add(await Timing.MedianMsAsync(
                    _ => connection.QueryAsync(sql, args, transaction), 1, Iterations).ConfigureAwait(false));
            }
            // The indexes come back: DDL is transactional in PostgreSQL.
            await transaction.RollbackAsync().ConfigureAwait(false);
        }

        var ratios = withIndex.Select((w, i) => without[i] / w.Ms).ToList();
        var measured = string.Join("; ", withIndex.Select((w, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{w.Name} {w.Ms:F2} ms vs {without[i]:F2} ms ({(w.IndexScan ? "index scan" : "NO index scan")})")));
        return new BenchResult(
            "P6", $"order and signal list queries (the repositories' SQL) at {Orders / 1000}k orders / {Signals / 1000}k signals / {MinuteRows:N0} minutes: with vs without the indexes",
            measured, string.Create(CultureInfo.InvariantCulture, $"{ratios.Min():F0}× (lowest of {ratios.Count})"),
            "index scans in EXPLAIN; ≥ 10× faster than without", withIndex.All(w => w.IndexScan) && ratios.Min() >= 10)
        { Seed = "\"쿼리 20-50% 개선\"" };
    }

    private static string MarketColumns =>
        (string)typeof(MarketDataRepository).GetField("Columns", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string sql, object args) =>
        string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql, args).ConfigureAwait(false));

    private static string RepositorySql(Type repository, string method, params object[] arguments) =>
        (string)repository.GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, arguments)!;
}
