using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task MigrateAsync_RunTwice_SecondRunAppliesNothing()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using var dataSource = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions());
            var migrator = new DatabaseMigrator(dataSource);

            var first = await migrator.MigrateAsync();
            var second = await migrator.MigrateAsync();

            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Select(m => m.Version), first);
            Assert.Empty(second);
            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Count, await CountJournalAsync(dataSource));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task MigrateAsync_TwoInstancesAtOnce_EachMigrationAppliedOnce()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            // Two data sources stand for two app instances starting together.
            await using var first = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions { MinPoolSize = 0 });
            await using var second = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions { MinPoolSize = 0 });

            var results = await Task.WhenAll(
                Task.Run(() => new DatabaseMigrator(first).MigrateAsync()),
                Task.Run(() => new DatabaseMigrator(second).MigrateAsync()));

            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Count, results.Sum(r => r.Count));
            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Count, await CountJournalAsync(first));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<long> CountJournalAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
