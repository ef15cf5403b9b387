using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

/// <summary>Builds the app's exchange registration (AddExchange) against an <see cref="UpbitFake"/>, with fast test timings.</summary>
internal static class ExchangeTestHost
{
    private static readonly Lazy<Task<NpgsqlDataSource>> SharedDatabase = new(async () =>
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync().ConfigureAwait(false);
        var dataSource = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions());
        await new DatabaseMigrator(dataSource).MigrateAsync().ConfigureAwait(false);
        return dataSource;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IHost Build(
        UpbitFake upbit,
        string mode = "Live",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        NpgsqlDataSource? dataSource = null,
        CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?>
        {
            ["Trading:Mode"] = mode,
            ["Upbit:BaseUrl"] = upbit.Url,
            ["Upbit:AccessKey"] = UpbitFake.AccessKey,
            ["Upbit:SecretKey"] = UpbitFake.SecretKey,
            ["Upbit:RetryBaseDelay"] = "00:00:00.010",
            // Generous: a cold first call (JIT, connection) on a busy 2-core machine must not time out and retry.
            ["Upbit:RequestTimeout"] = "00:00:10",
            ["Upbit:MaxRetryAfter"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        // The exchange needs PostgreSQL (the shared 418 block, and Paper's ledger). Tests that bring no database share
        // one; a block is stored per Upbit endpoint, and each fake has its own port, so tests never see each other's.
        builder.Services.AddSingleton(dataSource ?? SharedDatabase.Value.GetAwaiter().GetResult());
        configure?.Invoke(builder.Services);
        builder.AddExchange();
        return builder.Build();
    }
}
