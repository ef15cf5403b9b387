using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> of the process with the pool sizing and isolation we rely on.</summary>
public static class PostgresDataSourceFactory
{
    public const string MissingConnectionStringMessage =
        $"The connection string 'ConnectionStrings:{PersistenceRegistration.ConnectionStringName}' is not set. " +
        "Set it in local.settings.json (\"ConnectionStrings\": {\"Postgres\": \"Host=...\"}) or as the app setting " +
        "'ConnectionStrings__Postgres'. There is no default: credentials never live in code.";

    public static NpgsqlDataSource Create(string? connectionString, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // No default with credentials (seed 3.3): refuse to start and say which setting is missing.
            throw new InvalidOperationException(MissingConnectionStringMessage);
        }

        var csb = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MinPoolSize = options.MinPoolSize,
            MaxPoolSize = options.MaxPoolSize,
            CommandTimeout = options.CommandTimeoutSeconds,
        };
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.Name = "BitcoinAutoTrading";
        // Every physical connection starts with the isolation level set explicitly (seed 1.8).
        var isolation = IsolationSql(options.IsolationLevel);
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {isolation}";
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {isolation}";
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            });
        return builder.Build();
    }

    private static string IsolationSql(System.Data.IsolationLevel level) => level switch
    {
        System.Data.IsolationLevel.ReadCommitted => "READ COMMITTED",
        System.Data.IsolationLevel.RepeatableRead => "REPEATABLE READ",
        System.Data.IsolationLevel.Serializable => "SERIALIZABLE",
        _ => throw new InvalidOperationException(
            $"Database:IsolationLevel '{level}' is not supported; use ReadCommitted, RepeatableRead or Serializable."),
    };
}
