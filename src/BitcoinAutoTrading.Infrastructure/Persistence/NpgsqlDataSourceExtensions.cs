using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

internal static class NpgsqlDataSourceExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> on the transaction's connection when one is given, so the call joins the caller's
    /// unit of work; otherwise on a pooled connection opened for this call only and returned to the pool right after.
    /// </summary>
    public static async Task<T> UseConnectionAsync<T>(
        this NpgsqlDataSource dataSource,
        NpgsqlTransaction? transaction,
        Func<NpgsqlConnection, Task<T>> work,
        CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            var joined = transaction.Connection
                ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
            return await work(joined).ConfigureAwait(false);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }
}
