using Microsoft.Extensions.Options;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// The 418 block shared by every instance (table <c>exchange_blocks</c>): Upbit blocks the IP, not a process, so one
/// instance's 418 must stop the others too. Keyed by the Upbit endpoint (scheme, host and port of <c>Upbit:BaseUrl</c>).
/// </summary>
internal sealed class UpbitBlockStore(NpgsqlDataSource dataSource, IOptions<UpbitOptions> options)
{
    private string Scope => "upbit:" + new Uri(options.Value.BaseUrl).GetLeftPart(UriPartial.Authority);

    /// <summary>Stores the block, never shortening one already stored.</summary>
    public async Task RecordAsync(DateTimeOffset until, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO exchange_blocks (scope, blocked_until, reason, recorded_at)
            VALUES (@scope, @until, @reason, @now)
            ON CONFLICT (scope) DO UPDATE SET
                reason = CASE WHEN EXCLUDED.blocked_until > exchange_blocks.blocked_until THEN EXCLUDED.reason ELSE exchange_blocks.reason END,
                blocked_until = GREATEST(exchange_blocks.blocked_until, EXCLUDED.blocked_until),
                recorded_at = EXCLUDED.recorded_at
            """);
        command.Parameters.AddWithValue("scope", Scope);
        command.Parameters.AddWithValue("until", until.ToUniversalTime());
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When the stored block lifts, or null when there is none in force at <paramref name="now"/>.</summary>
    public async Task<DateTimeOffset?> ActiveUntilAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT blocked_until FROM exchange_blocks WHERE scope = @scope AND blocked_until > @now");
        command.Parameters.AddWithValue("scope", Scope);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : value as DateTimeOffset?;
    }
}
