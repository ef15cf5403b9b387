using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>Start-up with the app's own composition (<see cref="AppComposition.ComposeApp"/>, what Program.cs runs).</summary>
public sealed class StartupValidationTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ComposeApp();
        return builder.Build();
    }

    [Fact]
    public async Task Start_WithoutConnectionString_FailsNamingTheSetting()
    {
        using var host = BuildHost([]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithInvalidPoolSizes_FailsNamingTheSettings()
    {
        using var host = BuildHost(new()
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused",
            ["Database:MinPoolSize"] = "30",
            ["Database:MaxPoolSize"] = "20",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Database:MinPoolSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithDatabase_AppliesMigrationsAndUsesConfiguredPool()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            using var host = BuildHost(new()
            {
                ["ConnectionStrings:Postgres"] = connectionString,
                ["Database:MinPoolSize"] = "2",
                ["Database:MaxPoolSize"] = "7",
            });

            await host.StartAsync();
            try
            {
                var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
                var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
                Assert.Equal(2, settings.MinPoolSize);
                Assert.Equal(7, settings.MaxPoolSize);

                await using var command = dataSource.CreateCommand(
                    "SELECT (SELECT count(*) FROM schema_migrations), current_setting('default_transaction_isolation')");
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.True(reader.GetInt64(0) >= 1);
                Assert.Equal("read committed", reader.GetString(1));
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }
}
