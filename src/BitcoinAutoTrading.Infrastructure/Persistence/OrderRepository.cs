using BitcoinAutoTrading.Core.Trading;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// Dapper repository over <c>orders</c>. State changes are single guarded UPDATEs (the WHERE clause is the state
/// machine), so a repeated activity or a racing reconciler can never move an order backwards.
/// </summary>
public sealed class OrderRepository(NpgsqlDataSource dataSource) : IOrderRepository
{
    private const string Columns = """
        id AS Id, user_id AS UserId, signal_id AS SignalId, market AS Market, side AS Side, ord_type AS OrdType,
        requested_krw AS RequestedKrw, requested_volume AS RequestedVolume, limit_price AS LimitPrice,
        identifier AS Identifier, exchange_uuid AS ExchangeUuid, status AS Status, executed_volume AS ExecutedVolume,
        executed_funds_krw AS ExecutedFundsKrw, avg_price AS AvgPrice, paid_fee AS PaidFee, reason AS Reason,
        error AS Error, created_at AS CreatedAt, submitted_at AS SubmittedAt, finished_at AS FinishedAt,
        position_applied_at AS PositionAppliedAt
        """;

    private const string ActiveStatuses = "('PENDING', 'SUBMITTED')";

    private const string OneActivePerMarketIndex = "uq_orders_one_active_per_market";

    // Only the identifier is an arbiter: a second active order for the market still fails on its unique index.
    private const string InsertSql = $"""
        INSERT INTO orders (user_id, signal_id, market, side, ord_type, requested_krw, requested_volume, limit_price,
                            identifier, status, reason, created_at)
        VALUES (@UserId, @SignalId, @Market, @Side, @OrdType, @RequestedKrw, @RequestedVolume, @LimitPrice,
                @Identifier, 'PENDING', @Reason, @CreatedAt)
        ON CONFLICT (identifier) DO NOTHING
        RETURNING {Columns}
        """;

    /// <summary>The partial unique index <c>uq_orders_one_active_per_market</c> holds exactly these rows.</summary>
    internal const string ActiveSql = $"SELECT {Columns} FROM orders WHERE market = @market AND status IN {ActiveStatuses}";

    internal const string StaleNonTerminalSql = $"""
        SELECT {Columns} FROM orders
        WHERE status IN {ActiveStatuses} AND created_at < @olderThan
        ORDER BY created_at, id
        """;

    /// <summary>
    /// With a status this is an index-only scan of <c>idx_order_user_status</c> (both columns are in the index, so
    /// no table page is read once the table is vacuumed).
    /// </summary>
    internal static string CountSql(bool byStatus) =>
        $"SELECT count(*) FROM orders WHERE user_id = @userId{(byStatus ? " AND status = @status" : "")}";

    /// <summary>
    /// Newest first by (created_at, id): with a status it walks <c>idx_order_status_created</c>, without one
    /// <c>idx_order_created_at</c>; the keyset condition keeps pages stable while orders are added.
    /// </summary>
    internal static string ListSql(bool byStatus, bool paged) => $"""
        SELECT {Columns} FROM orders
        WHERE {(byStatus ? "status = @status" : "TRUE")}
        {(paged ? "AND (created_at, id) < (SELECT created_at, id FROM orders WHERE id = @beforeId)" : "")}
        ORDER BY created_at DESC, id DESC
        LIMIT @limit
        """;

    public async Task<OrderCreation> CreateAsync(NewOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        OrderRow? created;
        try
        {
            created = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(InsertSql, new
            {
                order.UserId,
                order.SignalId,
                order.Market,
                Side = DbValues.ToDb(order.Side),
                OrdType = DbValues.ToDb(order.OrdType),
                order.RequestedKrw,
                order.RequestedVolume,
                order.LimitPrice,
                order.Identifier,
                Reason = DbValues.ToDb(order.Reason),
                CreatedAt = DbValues.Utc(order.CreatedAt),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OneActivePerMarketIndex })
        {
            // Two racing inserts of the same identifier can trip the one-active index before the identifier arbiter;
            // if ours is the order that exists, this is a repeat, not a second order.
            var same = await SelectByIdentifierAsync(connection, order.Identifier, cancellationToken).ConfigureAwait(false);
            if (same is null)
            {
                throw;
            }
            return new OrderCreation(same.ToDomain(), Created: false);
        }

        if (created is not null)
        {
            return new OrderCreation(created.ToDomain(), Created: true);
        }

        // A new statement sees the row that won the conflict, even if it committed a moment ago (READ COMMITTED).
        var existing = await SelectByIdentifierAsync(connection, order.Identifier, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Order identifier '{order.Identifier}' conflicted but no order has it.");
        return new OrderCreation(existing.ToDomain(), Created: false);
    }

    public Task<Order?> GetByIdAsync(long id, CancellationToken cancellationToken = default) =>
        GetByIdAsync(id, transaction: null, forUpdate: false, cancellationToken);

    /// <summary>Reads the order inside a unit of work; <paramref name="forUpdate"/> locks it until the transaction ends.</summary>
    internal Task<Order?> GetByIdAsync(
        long id, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken) =>
        dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
                $"SELECT {Columns} FROM orders WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToDomain();
        }, cancellationToken);

    public async Task<Order?> GetByIdentifierAsync(string identifier, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await SelectByIdentifierAsync(connection, identifier, cancellationToken).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<Order>> ListAsync(
        OrderStatus? status, int limit, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var args = new { status = status?.ToDbValue(), limit, beforeId };
        return await QueryListAsync(ListSql(status is not null, beforeId is not null), args, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<Order?> GetActiveAsync(string market, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            ActiveSql, new { market }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<OrderUpdateOutcome> MarkSubmittedAsync(
        long id, string exchangeUuid, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchangeUuid);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE orders SET status = 'SUBMITTED', exchange_uuid = @exchangeUuid, submitted_at = @at
            WHERE id = @id AND status = 'PENDING' AND (exchange_uuid IS NULL OR exchange_uuid = @exchangeUuid)
            """,
            new { id, exchangeUuid, at = DbValues.Utc(at) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (updated == 1)
        {
            return OrderUpdateOutcome.Applied;
        }

        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT coalesce(exchange_uuid, '') FROM orders WHERE id = @id", new { id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return current switch
        {
            null => OrderUpdateOutcome.NotFound,
            _ when string.Equals(current, exchangeUuid, StringComparison.Ordinal) => OrderUpdateOutcome.AlreadyApplied,
            _ => OrderUpdateOutcome.Rejected,
        };
    }

    public async Task<OrderUpdateOutcome> RecordResultAsync(
        long id,
        OrderStatus status,
        decimal executedVolume,
        decimal executedFundsKrw,
        decimal? avgPrice,
        decimal paidFee,
        string? error,
        DateTimeOffset finishedAt,
        CancellationToken cancellationToken = default)
    {
        if (!status.IsTerminal())
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A result must be a final status.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE orders
            SET status = @status, executed_volume = @executedVolume, executed_funds_krw = @executedFundsKrw,
                avg_price = @avgPrice, paid_fee = @paidFee, error = @error, finished_at = @finishedAt
            WHERE id = @id AND status IN {ActiveStatuses}
            """,
            new
            {
                id,
                status = status.ToDbValue(),
                executedVolume,
                executedFundsKrw,
                avgPrice,
                paidFee,
                error,
                finishedAt = DbValues.Utc(finishedAt),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (updated == 1)
        {
            return OrderUpdateOutcome.Applied;
        }

        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE id = @id", new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        if (row is null)
        {
            return OrderUpdateOutcome.NotFound;
        }

        // The columns keep 8 decimals; compare what would have been stored, not the caller's extra digits.
        var same = DbValues.ParseOrderStatus(row.Status) == status
            && row.ExecutedVolume == Math.Round(executedVolume, 8)
            && row.ExecutedFundsKrw == Math.Round(executedFundsKrw, 8)
            && row.AvgPrice == (avgPrice is { } price ? Math.Round(price, 8) : null)
            && row.PaidFee == Math.Round(paidFee, 8)
            && string.Equals(row.Error, error, StringComparison.Ordinal);
        return same ? OrderUpdateOutcome.AlreadyApplied : OrderUpdateOutcome.Rejected;
    }

    /// <summary>
    /// Marks the order's fill as applied to the position, once: false when it already was (or the order is missing).
    /// Meant to run in the same transaction as the position change it guards.
    /// </summary>
    internal Task<bool> MarkPositionAppliedAsync(
        long id, DateTimeOffset at, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        dataSource.UseConnectionAsync(transaction, async connection =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE orders SET position_applied_at = @at WHERE id = @id AND position_applied_at IS NULL",
                new { id, at = DbValues.Utc(at) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return updated == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<Order>> ListStaleNonTerminalAsync(
        DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        QueryListAsync(StaleNonTerminalSql, new { olderThan = DbValues.Utc(olderThan) }, cancellationToken);

    public async Task<Order?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        var latest = await QueryListAsync(
            $"SELECT {Columns} FROM orders ORDER BY created_at DESC, id DESC LIMIT 1", null, cancellationToken)
            .ConfigureAwait(false);
        return latest.Count == 0 ? null : latest[0];
    }

    public async Task<long> CountAsync(
        OrderStatus? status, long userId = NewOrder.DefaultUserId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            CountSql(status is not null), new { userId, status = status?.ToDbValue() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static Task<OrderRow?> SelectByIdentifierAsync(
        NpgsqlConnection connection, string identifier, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE identifier = @identifier", new { identifier },
            cancellationToken: cancellationToken));

    private async Task<IReadOnlyList<Order>> QueryListAsync(string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OrderRow>(
            new CommandDefinition(sql, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private sealed class OrderRow
    {
        public long Id { get; set; }
        public long UserId { get; set; }
        public long? SignalId { get; set; }
        public string Market { get; set; } = "";
        public string Side { get; set; } = "";
        public string OrdType { get; set; } = "";
        public decimal? RequestedKrw { get; set; }
        public decimal? RequestedVolume { get; set; }
        public decimal? LimitPrice { get; set; }
        public string Identifier { get; set; } = "";
        public string? ExchangeUuid { get; set; }
        public string Status { get; set; } = "";
        public decimal ExecutedVolume { get; set; }
        public decimal ExecutedFundsKrw { get; set; }
        public decimal? AvgPrice { get; set; }
        public decimal PaidFee { get; set; }
        public string Reason { get; set; } = "";
        public string? Error { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime? SubmittedAt { get; set; }
        public DateTime? FinishedAt { get; set; }
        public DateTime? PositionAppliedAt { get; set; }

        public Order ToDomain() => new()
        {
            Id = Id,
            UserId = UserId,
            SignalId = SignalId,
            Market = Market,
            Side = DbValues.ParseOrderSide(Side),
            OrdType = DbValues.ParseOrderType(OrdType),
            RequestedKrw = RequestedKrw,
            RequestedVolume = RequestedVolume,
            LimitPrice = LimitPrice,
            Identifier = Identifier,
            ExchangeUuid = ExchangeUuid,
            Status = DbValues.ParseOrderStatus(Status),
            ExecutedVolume = ExecutedVolume,
            ExecutedFundsKrw = ExecutedFundsKrw,
            AvgPrice = AvgPrice,
            PaidFee = PaidFee,
            Reason = DbValues.ParseOrderReason(Reason),
            Error = Error,
            CreatedAt = DbValues.ToOffset(CreatedAt),
            SubmittedAt = DbValues.ToOffset(SubmittedAt),
            FinishedAt = DbValues.ToOffset(FinishedAt),
            PositionAppliedAt = DbValues.ToOffset(PositionAppliedAt),
        };
    }
}
