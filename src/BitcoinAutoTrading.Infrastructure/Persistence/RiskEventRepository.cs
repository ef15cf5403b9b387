using BitcoinAutoTrading.Core.Risk;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>risk_events</c>.</summary>
public sealed class RiskEventRepository(NpgsqlDataSource dataSource) : IRiskEventRepository
{
    private const string Columns = """
        id AS Id, event_type AS EventType, order_id AS OrderId, signal_id AS SignalId, trigger_value AS TriggerValue,
        threshold_value AS ThresholdValue, action_taken AS ActionTaken, details::text AS DetailsJson,
        created_at AS CreatedAt, notified AS Notified
        """;

    public async Task<long> InsertAsync(NewRiskEvent riskEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(riskEvent);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO risk_events (event_type, order_id, signal_id, trigger_value, threshold_value, action_taken,
                                     details, created_at)
            VALUES (@EventType, @OrderId, @SignalId, @TriggerValue, @ThresholdValue, @ActionTaken, @DetailsJson::jsonb,
                    @CreatedAt)
            RETURNING id
            """,
            new
            {
                EventType = DbValues.ToDb(riskEvent.Type),
                riskEvent.OrderId,
                riskEvent.SignalId,
                riskEvent.TriggerValue,
                riskEvent.ThresholdValue,
                riskEvent.ActionTaken,
                riskEvent.DetailsJson,
                CreatedAt = DbValues.Utc(riskEvent.CreatedAt),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RiskEvent>> ListAsync(
        int limit, RiskEventType? type = null, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Newest first by (created_at, id): idx_risk_events_type_created or idx_risk_events_created_at serve it.
        var sql = $"""
            SELECT {Columns} FROM risk_events
            WHERE {(type is null ? "TRUE" : "event_type = @eventType")}
            {(beforeId is null ? "" : "AND (created_at, id) < (SELECT created_at, id FROM risk_events WHERE id = @beforeId)")}
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<RiskEventRow>(new CommandDefinition(
            sql, new { limit, eventType = type is { } t ? DbValues.ToDb(t) : null, beforeId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public async Task<bool> MarkNotifiedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE risk_events SET notified = true WHERE id = @id", new { id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    private sealed class RiskEventRow
    {
        public long Id { get; set; }
        public string EventType { get; set; } = "";
        public long? OrderId { get; set; }
        public long? SignalId { get; set; }
        public decimal? TriggerValue { get; set; }
        public decimal? ThresholdValue { get; set; }
        public string ActionTaken { get; set; } = "";
        public string? DetailsJson { get; set; }
        public DateTime CreatedAt { get; set; }
        public bool Notified { get; set; }

        public RiskEvent ToDomain() => new(
            Id, DbValues.ParseRiskEventType(EventType), OrderId, SignalId, TriggerValue, ThresholdValue, ActionTaken,
            DetailsJson, DbValues.ToOffset(CreatedAt), Notified);
    }
}
