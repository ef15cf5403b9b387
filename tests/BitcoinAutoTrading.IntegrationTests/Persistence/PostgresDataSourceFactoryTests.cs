using System.Data;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class PostgresDataSourceFactoryTests : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync();
        // A server whose default is not READ COMMITTED: only an explicit setting can yield READ COMMITTED here.
        await using var connection = new NpgsqlConnection(await PostgresServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        var name = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{name}\" SET default_transaction_isolation = 'serializable'", connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task Create_DatabaseDefaultSerializable_SessionsAndTransactionsRunReadCommitted()
    {
        await using var plain = new NpgsqlConnection(_connectionString);
        await plain.OpenAsync();
        await using var dataSource = PostgresDataSourceFactory.Create(_connectionString, new DatabaseOptions { MinPoolSize = 0 });

        var serverDefault = await ShowAsync(plain, "transaction_isolation");
        await using var connection = await dataSource.OpenConnectionAsync();
        var session = await ShowAsync(connection, "transaction_isolation");
        var sessionDefault = await ShowAsync(connection, "default_transaction_isolation");
        var inTransaction = await new PostgresTransactionRunner(dataSource).RunAsync(
            (tx, _) => ShowAsync(tx.Connection!, "transaction_isolation", tx), CancellationToken.None);

        Assert.Equal("serializable", serverDefault);
        Assert.Equal("read committed", session);
        Assert.Equal("read committed", sessionDefault);
        Assert.Equal("read committed", inTransaction);
    }

    [Fact]
    public async Task Create_RepeatableReadConfigured_SessionsUseIt()
    {
        await using var dataSource = PostgresDataSourceFactory.Create(
            _connectionString, new DatabaseOptions { MinPoolSize = 0, IsolationLevel = IsolationLevel.RepeatableRead });
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("repeatable read", await ShowAsync(connection, "transaction_isolation"));
    }

    [Fact]
    public async Task Create_PoolSizesFromOptions_PoolStopsAtMaximum()
    {
        var withTimeout = new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = 1 }.ConnectionString;
        await using var dataSource = PostgresDataSourceFactory.Create(
            withTimeout, new DatabaseOptions { MinPoolSize = 1, MaxPoolSize = 2, CommandTimeoutSeconds = 7 });
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();
        var exhausted = await Assert.ThrowsAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal((1, 2, 7), (settings.MinPoolSize, settings.MaxPoolSize, settings.CommandTimeout));
        Assert.Contains("pool", exhausted.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_DefaultOptions_SeedSizingTenToTwenty()
    {
        using var dataSource = PostgresDataSourceFactory.Create(_connectionString, new DatabaseOptions());
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.Equal((10, 20), (settings.MinPoolSize, settings.MaxPoolSize));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_MissingConnectionString_ThrowsNamingTheSetting(string? connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions()));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Postgres", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection, transaction);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
