using BitcoinAutoTrading.Core.Backtesting;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

public sealed class BacktestRunRepository(NpgsqlDataSource dataSource, TimeProvider timeProvider) : IBacktestRunRepository
{
    private const string Summary = """
        id AS Id, market AS Market, from_ts AS FromTs, to_ts AS ToTs, provider AS Provider,
        total_return_pct AS TotalReturnPct, buy_hold_return_pct AS BuyAndHoldReturnPct, max_drawdown_pct AS MaxDrawdownPct,
        sharpe AS Sharpe, trade_count AS TradeCount, created_at AS CreatedAt
        """;

    public async Task<long> InsertAsync(BacktestRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO backtest_runs (market, from_ts, to_ts, provider, settings, options, report, total_return_pct,
                                       buy_hold_return_pct, max_drawdown_pct, sharpe, trade_count, created_at)
            VALUES (@Market, @From, @To, @Provider, @SettingsJson::jsonb, @OptionsJson::jsonb, @ReportJson::jsonb,
                    @TotalReturnPct, @BuyAndHoldReturnPct, @MaxDrawdownPct, @Sharpe, @TradeCount, @CreatedAt)
            RETURNING id
            """,
            new
            {
                run.Market,
                From = DbValues.Utc(run.From),
                To = DbValues.Utc(run.To),
                run.Provider,
                run.SettingsJson,
                run.OptionsJson,
                run.ReportJson,
                run.TotalReturnPct,
                run.BuyAndHoldReturnPct,
                run.MaxDrawdownPct,
                run.Sharpe,
                run.TradeCount,
                CreatedAt = DbValues.Utc(timeProvider.GetUtcNow()),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BacktestRunRecord>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Summary}, '{{}}' AS SettingsJson, '{{}}' AS OptionsJson, '{{}}' AS ReportJson FROM backtest_runs ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<BacktestRunRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Summary}, settings::text AS SettingsJson, options::text AS OptionsJson, report::text AS ReportJson FROM backtest_runs WHERE id = @id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    private sealed record Row(
        long Id, string Market, DateTime FromTs, DateTime ToTs, string Provider, decimal TotalReturnPct, decimal BuyAndHoldReturnPct,
        decimal MaxDrawdownPct, decimal Sharpe, int TradeCount, DateTime CreatedAt, string SettingsJson, string OptionsJson, string ReportJson)
    {
        public BacktestRunRecord ToRecord() => new()
        {
            Id = Id,
            Market = Market,
            From = DbValues.ToOffset(FromTs),
            To = DbValues.ToOffset(ToTs),
            Provider = Provider,
            SettingsJson = SettingsJson,
            OptionsJson = OptionsJson,
            ReportJson = ReportJson,
            TotalReturnPct = TotalReturnPct,
            BuyAndHoldReturnPct = BuyAndHoldReturnPct,
            MaxDrawdownPct = MaxDrawdownPct,
            Sharpe = Sharpe,
            TradeCount = TradeCount,
            CreatedAt = DbValues.ToOffset(CreatedAt),
        };
    }
}
