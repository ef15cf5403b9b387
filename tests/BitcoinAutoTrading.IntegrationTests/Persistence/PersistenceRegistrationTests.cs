using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class PersistenceRegistrationTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task AddPersistence_NoConnectionString_StartFailsNamingTheSetting()
    {
        using var host = Build(new Dictionary<string, string?>());

        // Options validation names the setting whether the data source is resolved first or the host starts.
        var resolve = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<NpgsqlDataSource>());
        var start = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionStrings:Postgres", resolve.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Postgres", start.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPersistence_WithSettings_EveryRepositoryResolvesOnOneConfiguredDataSource()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = db.ConnectionString,
            ["Database:MinPoolSize"] = "2",
            ["Database:MaxPoolSize"] = "7",
            ["Database:MigrateOnStartup"] = "false",
        });
        var services = host.Services;

        var settings = new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        Assert.Equal((2, 7), (settings.MinPoolSize, settings.MaxPoolSize));
        Assert.IsType<MarketDataRepository>(services.GetRequiredService<IMarketDataRepository>());
        Assert.IsType<SignalRepository>(services.GetRequiredService<ISignalRepository>());
        Assert.Same(services.GetRequiredService<OrderRepository>(), services.GetRequiredService<IOrderRepository>());
        Assert.Same(services.GetRequiredService<PositionRepository>(), services.GetRequiredService<IPositionRepository>());
        Assert.Same(services.GetRequiredService<DailyStatsRepository>(), services.GetRequiredService<IDailyStatsRepository>());
        Assert.IsType<RiskEventRepository>(services.GetRequiredService<IRiskEventRepository>());
        Assert.IsType<SystemConfigRepository>(services.GetRequiredService<ISystemConfigRepository>());
        Assert.NotNull(services.GetRequiredService<PostgresTransactionRunner>());
        var jobs = services.GetRequiredService<IJobRunRepository>();
        Assert.Same(jobs, services.GetRequiredService<IJobRunRepository>());
        var id = await jobs.StartAsync("RegistrationCheck", DateTimeOffset.UtcNow, isPastDue: false);
        Assert.Equal(id, Assert.Single(await jobs.ListAsync("RegistrationCheck", 5)).Id);
    }

    [Fact]
    public void AddPersistence_MinPoolAboveMax_ValidationNamesBothSettings()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = db.ConnectionString,
            ["Database:MinPoolSize"] = "30",
            ["Database:MaxPoolSize"] = "20",
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<NpgsqlDataSource>());

        Assert.Contains("Database:MinPoolSize must not exceed Database:MaxPoolSize", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPersistence();
        return builder.Build();
    }
}
