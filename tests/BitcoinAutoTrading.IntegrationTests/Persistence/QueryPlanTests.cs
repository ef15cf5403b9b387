using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>
/// The seed's three indexes (report §2.1) serve the queries they were added for, at a realistic size: 100k orders,
/// 200k minutes and 100k signals, vacuumed and analyzed. The plans are printed to the test output.
/// </summary>
public sealed class QueryPlanTests(QueryPlanTests.SeededDatabase seeded, ITestOutputHelper output)
    : IClassFixture<QueryPlanTests.SeededDatabase>
{
    private const int Orders = 100_000;

    /// <summary>One migrated database per class, filled once: the tests only read it (their EXPLAINs are rolled back).</summary>
    public sealed class SeededDatabase : IAsyncLifetime
    {
        public PostgresDatabaseFixture Db { get; } = new();

        public async Task InitializeAsync()
        {
            await Db.InitializeAsync();
            await ExecuteAsync(Db, $"""
                INSERT INTO market_data (market, ts, open, high, low, close, volume, value_krw)
                SELECT 'KRW-BTC', timestamptz '2025-06-01 00:00Z' + g * interval '1 minute',
                       95000000 + g, 95001000 + g, 94999000 + g, 95000500 + g, 0.5, 0.5 * (95000500 + g)
                FROM generate_series(1, 200000) g;

                -- A signal every other minute, each pointing at the minute it saw.
                INSERT INTO trading_signals (market, market_data_id, signal_type, action_score, confidence, provider, created_at)
                SELECT 'KRW-BTC', id, (ARRAY['BUY', 'SELL', 'HOLD'])[1 + id % 3], 0.1, 0.6, 'technical', ts + interval '30 seconds'
                FROM market_data WHERE id % 2 = 0;

                -- Mostly finished orders as in a long-running system: 90 % executed, 7 % cancelled, 2 % failed, 1 % partial.
                INSERT INTO orders (user_id, market, side, ord_type, requested_krw, requested_volume, identifier, exchange_uuid,
                                    status, executed_volume, executed_funds_krw, avg_price, paid_fee, reason, error,
                                    created_at, submitted_at, finished_at)
                SELECT 1, 'KRW-BTC', CASE WHEN g % 2 = 0 THEN 'BUY' ELSE 'SELL' END,
                       CASE WHEN g % 2 = 0 THEN 'price' ELSE 'market' END,
                       CASE WHEN g % 2 = 0 THEN 100000 END, CASE WHEN g % 2 = 1 THEN 0.001 END,
                       'gen-' || g, 'uuid-' || g,
                       CASE WHEN g % 100 < 90 THEN 'EXECUTED' WHEN g % 100 < 97 THEN 'CANCELLED'
                            WHEN g % 100 < 99 THEN 'FAILED' ELSE 'PARTIALLY_EXECUTED' END,
                       0.001, 95000, 95000000, 47.5, CASE WHEN g % 2 = 0 THEN 'signal' ELSE 'stop_loss' END,
                       CASE WHEN g % 100 BETWEEN 97 AND 98 THEN 'insufficient_funds_bid' END,
                       timestamptz '2025-06-01 00:00Z' + g * interval '5 minutes',
                       timestamptz '2025-06-01 00:00Z' + g * interval '5 minutes' + interval '1 second',
                       timestamptz '2025-06-01 00:00Z' + g * interval '5 minutes' + interval '3 seconds'
                FROM generate_series(1, {Orders}) g;

                -- In flight: one order on each of a few markets (the partial unique index allows no more).
                INSERT INTO orders (market, side, ord_type, requested_krw, identifier, reason, created_at)
                SELECT 'KRW-C' || g, 'BUY', 'price', 100000, 'active-' || g, 'signal', timestamptz '2026-01-01 00:00Z' + g * interval '1 minute'
                FROM generate_series(1, 5) g;
                """);
            // Outside a transaction block: VACUUM sets the visibility map that index-only scans rely on, as autovacuum
            // does in a running system. A snapshot held meanwhile by autovacuum in this database (it is busy with the
            // new catalogs) can keep VACUUM from marking the fresh pages, so repeat until they are all marked.
            await ExecuteAsync(Db, "VACUUM (ANALYZE) market_data, trading_signals, orders");
            for (var attempt = 0; attempt < 100 && !await AllVisibleAsync(Db, "orders"); attempt++)
            {
                await Task.Delay(100);
                await ExecuteAsync(Db, "VACUUM orders");
            }
        }

        private static async Task<bool> AllVisibleAsync(PostgresDatabaseFixture db, string table)
        {
            await using var command = db.DataSource.CreateCommand("SELECT relallvisible >= relpages FROM pg_class WHERE relname = @table");
            command.Parameters.AddWithValue("table", table);
            return (bool)(await command.ExecuteScalarAsync())!;
        }

        public Task DisposeAsync() => Db.DisposeAsync();

        private static async Task ExecuteAsync(PostgresDatabaseFixture db, string sql)
        {
            await using var command = db.DataSource.CreateCommand(sql);
            command.CommandTimeout = 300;
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task OrdersByStatus_ListQuery_UsesIdxOrderStatusCreated()
    {
        var plan = await ExplainAsync("orders?status=FAILED&limit=50", OrderRepository.ListSql(byStatus: true, paged: false),
            ("status", "FAILED"), ("limit", 50));
        var nextPage = await ExplainAsync("orders?status=FAILED&limit=50 (next page)", OrderRepository.ListSql(byStatus: true, paged: true),
            ("status", "FAILED"), ("limit", 50), ("beforeId", 50_098L));

        Assert.Contains("idx_order_status_created", plan, StringComparison.Ordinal);
        Assert.Contains("idx_order_status_created", nextPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersOfUserInStatus_CountQuery_UsesIdxOrderUserStatus()
    {
        var failed = await ExplainAsync("count of user 1's FAILED orders (total behind a page)", OrderRepository.CountSql(byStatus: true),
            ("userId", 1L), ("status", "FAILED"));
        var executed = await ExplainAsync("count of user 1's EXECUTED orders (90 % of the table)", OrderRepository.CountSql(byStatus: true),
            ("userId", 1L), ("status", "EXECUTED"));

        Assert.Contains("Index Only Scan using idx_order_user_status", failed, StringComparison.Ordinal);
        Assert.Contains("idx_order_user_status", executed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalsOfMinute_LookupQuery_UsesIdxSignalMarketDataId()
    {
        var plan = await ExplainAsync("signal that saw minute 123456", SignalRepository.ByMarketDataIdSql, ("marketDataId", 123_456L));
        // The same lookup the foreign key runs for every purged minute (ON DELETE SET NULL).
        var purge = await ExplainAsync("foreign key action of a purged minute",
            "UPDATE trading_signals SET market_data_id = NULL WHERE market_data_id = @marketDataId", ("marketDataId", 123_456L));

        Assert.Contains("idx_signal_market_data_id", plan, StringComparison.Ordinal);
        Assert.Contains("idx_signal_market_data_id", purge, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersInFlight_ActiveAndStaleQueries_UseThePartialUniqueIndex()
    {
        var stale = await ExplainAsync("stale non-terminal orders (SyncOpenOrders)", OrderRepository.StaleNonTerminalSql,
            ("olderThan", new DateTimeOffset(2026, 1, 1, 0, 3, 0, TimeSpan.Zero)));
        var active = await ExplainAsync("active order of a market", OrderRepository.ActiveSql, ("market", "KRW-C3"));

        Assert.Contains("uq_orders_one_active_per_market", active, StringComparison.Ordinal);
        Assert.Contains("uq_orders_one_active_per_market", stale, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(string title, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await seeded.Db.DataSource.OpenConnectionAsync();
        // EXPLAIN ANALYZE runs the statement: roll back so an explained UPDATE changes nothing for the next test.
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, COSTS) {sql}", connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }
        await transaction.RollbackAsync();
        var plan = string.Join(Environment.NewLine, lines);
        output.WriteLine($"-- {title} ({Orders:N0} orders, 200,000 minutes, 100,000 signals)");
        output.WriteLine(plan);
        return plan;
    }
}
