using System.Net.Sockets;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BitcoinAutoTrading.Cli;

/// <summary>Opens the app's database from its settings and says plainly which host could not be reached.</summary>
internal static class CliDatabase
{
    public static async Task<NpgsqlDataSource> OpenAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString(PersistenceRegistration.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new CliException(
                "No database configured: set ConnectionStrings__Postgres, pass --connection \"Host=...;Database=...\", " +
                "or keep it in local.settings.json (ConnectionStrings.Postgres).");
        }
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"The connection string is malformed: {ex.Message}");
        }
        var where = $"{builder.Host ?? "localhost"}:{builder.Port}";
        if (builder.Timeout > 10)
        {
            builder.Timeout = 10;
        }
        var dataSource = PostgresDataSourceFactory.Create(builder.ConnectionString, new DatabaseOptions { MinPoolSize = 0, MaxPoolSize = 4 });
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return dataSource;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new CliException($"Cannot reach PostgreSQL at {where} (database '{builder.Database}'): {Innermost(ex).Message}");
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }
        return ex;
    }
}
