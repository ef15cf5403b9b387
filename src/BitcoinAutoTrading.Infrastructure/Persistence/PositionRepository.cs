using BitcoinAutoTrading.Core.Trading;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>positions</c>.</summary>
public sealed class PositionRepository(NpgsqlDataSource dataSource, TimeProvider timeProvider) : IPositionRepository
{
    private const string Columns = """
        market AS Market, quantity AS Quantity, avg_entry_price AS AvgEntryPrice, realized_pnl_krw AS RealizedPnlKrw,
        peak_price_since_entry AS PeakPriceSinceEntry, opened_at AS OpenedAt, updated_at AS UpdatedAt
        """;

    public Task<Position?> GetAsync(string market, CancellationToken cancellationToken = default) =>
        GetAsync(market, transaction: null, forUpdate: false, cancellationToken);

    /// <summary>Reads the position inside a unit of work; <paramref name="forUpdate"/> locks it until the transaction ends.</summary>
    internal Task<Position?> GetAsync(
        string market, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken) =>
        dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<PositionRow>(new CommandDefinition(
                $"SELECT {Columns} FROM positions WHERE market = @market{(forUpdate ? " FOR UPDATE" : "")}",
                new { market }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToDomain();
        }, cancellationToken);

    public Task<Position> UpsertAsync(Position position, CancellationToken cancellationToken = default) =>
        UpsertAsync(position, transaction: null, cancellationToken);

    internal Task<Position> UpsertAsync(
        Position position, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        return dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var row = await connection.QuerySingleAsync<PositionRow>(new CommandDefinition($"""
                INSERT INTO positions (market, quantity, avg_entry_price, realized_pnl_krw, peak_price_since_entry,
                                       opened_at, updated_at)
                VALUES (@Market, @Quantity, @AvgEntryPrice, @RealizedPnlKrw, @PeakPriceSinceEntry, @OpenedAt, @UpdatedAt)
                ON CONFLICT (market) DO UPDATE
                    SET quantity = excluded.quantity, avg_entry_price = excluded.avg_entry_price,
                        realized_pnl_krw = excluded.realized_pnl_krw,
                        peak_price_since_entry = excluded.peak_price_since_entry,
                        opened_at = excluded.opened_at, updated_at = excluded.updated_at
                RETURNING {Columns}
                """,
                new
                {
                    position.Market,
                    position.Quantity,
                    position.AvgEntryPrice,
                    position.RealizedPnlKrw,
                    position.PeakPriceSinceEntry,
                    OpenedAt = DbValues.Utc(position.OpenedAt),
                    UpdatedAt = timeProvider.GetUtcNow(),
                },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row.ToDomain();
        }, cancellationToken);
    }

    public async Task<bool> UpdatePeakAsync(string market, decimal price, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The comparison happens in the row update itself, so two collectors racing can only raise the peak.
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE positions SET peak_price_since_entry = @price, updated_at = @now
            WHERE market = @market AND quantity > 0
              AND (peak_price_since_entry IS NULL OR peak_price_since_entry < @price)
            """,
            new { market, price, now = timeProvider.GetUtcNow() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    private sealed class PositionRow
    {
        public string Market { get; set; } = "";
        public decimal Quantity { get; set; }
        public decimal AvgEntryPrice { get; set; }
        public decimal RealizedPnlKrw { get; set; }
        public decimal? PeakPriceSinceEntry { get; set; }
        public DateTime? OpenedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public Position ToDomain() => new(
            Market, Quantity, AvgEntryPrice, RealizedPnlKrw, PeakPriceSinceEntry, DbValues.ToOffset(OpenedAt),
            DbValues.ToOffset(UpdatedAt));
    }
}
