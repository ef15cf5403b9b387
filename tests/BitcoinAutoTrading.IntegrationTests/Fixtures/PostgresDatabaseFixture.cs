using BitcoinAutoTrading.Infrastructure.Persistence;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Fixtures;

/// <summary>
/// A fresh, migrated database for one test class (use as <c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c>).
/// The data source is built by the app's own factory, so pool and isolation settings are the production ones.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public DatabaseOptions Options { get; } = new();

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        DataSource = PostgresDataSourceFactory.Create(ConnectionString, Options);
        await new DatabaseMigrator(DataSource).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>Empties every table (keeps the schema), for tests that need a clean slate within one class.</summary>
    public async Task ResetAsync()
    {
        await using var command = DataSource.CreateCommand("""
            TRUNCATE market_data, market_bars, trading_signals, orders, positions, daily_stats, risk_events,
                     system_config, paper_balances, paper_orders, job_runs, ai_quota_blocks, signal_quality_gate
                     RESTART IDENTITY CASCADE
            """);
        await command.ExecuteNonQueryAsync();
    }
}
