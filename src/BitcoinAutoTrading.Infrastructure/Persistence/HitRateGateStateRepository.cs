using BitcoinAutoTrading.Core.Signals.Calibration;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over the one-row <c>signal_quality_gate</c>.</summary>
public sealed class HitRateGateStateRepository(NpgsqlDataSource dataSource) : IHitRateGateStateRepository
{
    public async Task<bool> GetPausedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT paused FROM signal_quality_gate WHERE id = 1", cancellationToken: cancellationToken)).ConfigureAwait(false) ?? false;
    }

    public async Task<bool> SetPausedAsync(
        bool paused, decimal? hitRate, int sample, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement: two instances seeing the same change cannot both report it. No row yet counts as "not paused".
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO signal_quality_gate (id, paused, hit_rate, sample, changed_at)
            SELECT 1, @paused, @hitRate, @sample, @at WHERE @paused
            ON CONFLICT (id) DO UPDATE
            SET paused = excluded.paused, hit_rate = excluded.hit_rate, sample = excluded.sample, changed_at = excluded.changed_at
            WHERE signal_quality_gate.paused IS DISTINCT FROM excluded.paused
            """, new { paused, hitRate, sample, at = DbValues.Utc(at) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (changed == 0 && !paused)
        {
            changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE signal_quality_gate SET paused = false, hit_rate = @hitRate, sample = @sample, changed_at = @at
                WHERE id = 1 AND paused
                """, new { hitRate, sample, at = DbValues.Utc(at) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return changed > 0;
    }
}
