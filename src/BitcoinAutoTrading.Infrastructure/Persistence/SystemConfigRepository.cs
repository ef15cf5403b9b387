using BitcoinAutoTrading.Core.Risk;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>system_config</c>.</summary>
public sealed class SystemConfigRepository(NpgsqlDataSource dataSource, TimeProvider timeProvider) : ISystemConfigRepository
{
    private const string Columns = "key AS Key, value::text AS ValueJson, updated_at AS UpdatedAt, updated_by AS UpdatedBy";

    // One statement for any number of keys: atomic without an explicit transaction, and one round trip.
    // Invalid JSON in any value fails the cast and so the whole statement.
    private const string UpsertSql = $"""
        INSERT INTO system_config (key, value, updated_at, updated_by)
        SELECT k, v::jsonb, @now, @updatedBy FROM unnest(@keys::text[], @values::text[]) AS u(k, v)
        ON CONFLICT (key) DO UPDATE
            SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
        RETURNING {Columns}
        """;

    public async Task<IReadOnlyList<ConfigEntry>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ConfigRow>(new CommandDefinition(
            $"SELECT {Columns} FROM system_config ORDER BY key", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public async Task<ConfigEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ConfigRow>(new CommandDefinition(
            $"SELECT {Columns} FROM system_config WHERE key = @key", new { key },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    public async Task<ConfigEntry> SetAsync(
        string key, string valueJson, string? updatedBy, CancellationToken cancellationToken = default)
    {
        var stored = await SetManyAsync(new Dictionary<string, string> { [key] = valueJson }, updatedBy, cancellationToken)
            .ConfigureAwait(false);
        return stored[0];
    }

    public async Task<IReadOnlyList<ConfigEntry>> SetManyAsync(
        IReadOnlyDictionary<string, string> valuesJson, string? updatedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(valuesJson);
        if (valuesJson.Count == 0)
        {
            return [];
        }

        var keys = valuesJson.Keys.ToArray();
        var values = keys.Select(k => valuesJson[k]).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ConfigRow>(new CommandDefinition(
            UpsertSql, new { keys, values, updatedBy, now = timeProvider.GetUtcNow() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    private sealed class ConfigRow
    {
        public string Key { get; set; } = "";
        public string ValueJson { get; set; } = "";
        public DateTime UpdatedAt { get; set; }
        public string? UpdatedBy { get; set; }

        public ConfigEntry ToDomain() => new(Key, ValueJson, DbValues.ToOffset(UpdatedAt), UpdatedBy);
    }
}
