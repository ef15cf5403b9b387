using BitcoinAutoTrading.Core.Signals.Budget;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// The spend cap's reads (token sums of <c>trading_signals</c>) and the per-day quota state (<c>ai_quota_blocks</c>),
/// in PostgreSQL so every instance enforces the same cap and block.
/// </summary>
public sealed class AiSpendRepository(NpgsqlDataSource dataSource) : IAiSpendRepository
{
    public async Task<IReadOnlyList<AiModelSpend>> GetSpendAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Every row that carries tokens was a paid call: primary, shadow and fallback (the model answered badly) alike.
        var rows = await connection.QueryAsync<SpendRow>(new CommandDefinition("""
            SELECT model_name AS Model,
                   coalesce(sum(input_tokens), 0)::bigint AS InputTokens,
                   coalesce(sum(output_tokens), 0)::bigint AS OutputTokens,
                   coalesce(sum(thinking_tokens), 0)::bigint AS ThinkingTokens
            FROM trading_signals
            WHERE created_at >= @from AND created_at < @to AND model_name IS NOT NULL
              AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL OR thinking_tokens IS NOT NULL)
            GROUP BY model_name
            """, new { from = DbValues.Utc(from), to = DbValues.Utc(to) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AiModelSpend(r.Model, r.InputTokens, r.OutputTokens, r.ThinkingTokens)).ToList();
    }

    public async Task<AiQuotaBlock?> GetQuotaBlockAsync(
        string provider, string model, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition("""
            SELECT provider AS Provider, model AS Model, blocked_until AS BlockedUntil, reason AS Reason
            FROM ai_quota_blocks
            WHERE provider = @provider AND model = @model AND blocked_until > @now
            """, new { provider, model, now = DbValues.Utc(now) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : new AiQuotaBlock(row.Provider, row.Model, DbValues.ToOffset(row.BlockedUntil), row.Reason);
    }

    public async Task SetQuotaBlockAsync(AiQuotaBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ai_quota_blocks (provider, model, blocked_until, reason)
            VALUES (@Provider, @Model, @BlockedUntil, @Reason)
            ON CONFLICT (provider, model) DO UPDATE
            SET blocked_until = greatest(ai_quota_blocks.blocked_until, excluded.blocked_until),
                reason = CASE WHEN excluded.blocked_until >= ai_quota_blocks.blocked_until THEN excluded.reason ELSE ai_quota_blocks.reason END,
                created_at = now()
            """, new { block.Provider, block.Model, BlockedUntil = DbValues.Utc(block.BlockedUntil), block.Reason },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class SpendRow
    {
        public string Model { get; set; } = "";
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
        public long ThinkingTokens { get; set; }
    }

    private sealed class BlockRow
    {
        public string Provider { get; set; } = "";
        public string Model { get; set; } = "";
        public DateTime BlockedUntil { get; set; }
        public string Reason { get; set; } = "";
    }
}
