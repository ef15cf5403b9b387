using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>daily_stats</c> (one row per KST trading day).</summary>
public sealed class DailyStatsRepository(NpgsqlDataSource dataSource, TimeProvider timeProvider) : IDailyStatsRepository
{
    private const string Columns = """
        trade_date AS TradeDate, starting_equity_krw AS StartingEquityKrw, ending_equity_krw AS EndingEquityKrw,
        realized_pnl_krw AS RealizedPnlKrw, trade_count AS TradeCount, win_count AS WinCount, loss_count AS LossCount,
        is_halted AS IsHalted, halt_reason AS HaltReason, closed_at AS ClosedAt, updated_at AS UpdatedAt
        """;

    public Task<DailyStats?> GetAsync(DateOnly tradeDate, CancellationToken cancellationToken = default) =>
        GetAsync(tradeDate, transaction: null, forUpdate: false, cancellationToken);

    /// <summary>Reads the day inside a unit of work; <paramref name="forUpdate"/> locks it until the transaction ends.</summary>
    internal Task<DailyStats?> GetAsync(
        DateOnly tradeDate, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken) =>
        dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<DailyStatsRow>(new CommandDefinition(
                $"SELECT {Columns} FROM daily_stats WHERE trade_date = @tradeDate{(forUpdate ? " FOR UPDATE" : "")}",
                new { tradeDate }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToDomain();
        }, cancellationToken);

    public Task<DailyStats> EnsureDayAsync(
        DateOnly tradeDate, decimal startingEquityKrw, CancellationToken cancellationToken = default) =>
        EnsureDayAsync(tradeDate, startingEquityKrw, transaction: null, cancellationToken);

    internal Task<DailyStats> EnsureDayAsync(
        DateOnly tradeDate, decimal startingEquityKrw, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var inserted = await connection.QuerySingleOrDefaultAsync<DailyStatsRow>(new CommandDefinition($"""
                INSERT INTO daily_stats (trade_date, starting_equity_krw, updated_at)
                VALUES (@tradeDate, @startingEquityKrw, @now)
                ON CONFLICT (trade_date) DO NOTHING
                RETURNING {Columns}
                """,
                new { tradeDate, startingEquityKrw, now = timeProvider.GetUtcNow() }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (inserted is not null)
            {
                return inserted.ToDomain();
            }

            // The day already existed (or a racing opener won): its starting equity stands.
            var existing = await connection.QuerySingleAsync<DailyStatsRow>(new CommandDefinition(
                $"SELECT {Columns} FROM daily_stats WHERE trade_date = @tradeDate", new { tradeDate }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return existing.ToDomain();
        }, cancellationToken);

    public async Task<bool> SetHaltAsync(DateOnly tradeDate, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return await ExecuteAsync(
            // Conditional, so of instances racing to halt the day exactly one is told it did (SPEC §5.3: notify once).
            "UPDATE daily_stats SET is_halted = true, halt_reason = @reason, updated_at = @now WHERE trade_date = @tradeDate AND NOT is_halted",
            new { tradeDate, reason, now = timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> ClearHaltAsync(DateOnly tradeDate, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE daily_stats SET is_halted = false, halt_reason = NULL, updated_at = @now WHERE trade_date = @tradeDate",
            new { tradeDate, now = timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> CloseDayAsync(
        DateOnly tradeDate, decimal endingEquityKrw, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("""
            UPDATE daily_stats SET ending_equity_krw = @endingEquityKrw, closed_at = @at, updated_at = @at
            WHERE trade_date = @tradeDate AND closed_at IS NULL
            """,
            new { tradeDate, endingEquityKrw, at = DbValues.Utc(at) }, cancellationToken).ConfigureAwait(false) == 1;

    public async Task<IReadOnlyList<DailyStats>> ListAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var today = KstClock.TradingDay(timeProvider.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DailyStatsRow>(new CommandDefinition(
            $"SELECT {Columns} FROM daily_stats WHERE trade_date BETWEEN @from AND @today ORDER BY trade_date DESC",
            new { from = today.AddDays(1 - days), today }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private async Task<int> ExecuteAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    private sealed class DailyStatsRow
    {
        public DateTime TradeDate { get; set; }
        public decimal StartingEquityKrw { get; set; }
        public decimal? EndingEquityKrw { get; set; }
        public decimal RealizedPnlKrw { get; set; }
        public int TradeCount { get; set; }
        public int WinCount { get; set; }
        public int LossCount { get; set; }
        public bool IsHalted { get; set; }
        public string? HaltReason { get; set; }
        public DateTime? ClosedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public DailyStats ToDomain() => new(
            DateOnly.FromDateTime(TradeDate), StartingEquityKrw, EndingEquityKrw, RealizedPnlKrw, TradeCount, WinCount,
            LossCount, IsHalted, HaltReason, DbValues.ToOffset(ClosedAt), DbValues.ToOffset(UpdatedAt));
    }
}
