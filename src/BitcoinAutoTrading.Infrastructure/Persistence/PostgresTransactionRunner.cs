using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// Runs a short unit of work in one transaction on one pooled connection: committed when the work returns, rolled
/// back when it throws. Repositories' internal overloads taking an <see cref="NpgsqlTransaction"/> join it, so an
/// order, its position and the day's statistics can change together. Nothing but database calls may be awaited
/// inside: the connection and its row locks are held until the work ends.
/// </summary>
internal sealed class PostgresTransactionRunner(NpgsqlDataSource dataSource)
{
    public async Task<T> RunAsync<T>(
        Func<NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // No explicit level: the data source sets the configured one (READ COMMITTED) on every physical connection.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
