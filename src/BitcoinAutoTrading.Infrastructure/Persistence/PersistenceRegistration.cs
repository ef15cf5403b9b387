using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

public static class PersistenceRegistration
{
    public const string ConnectionStringName = "Postgres";

    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MinPoolSize <= o.MaxPoolSize, "Database:MinPoolSize must not exceed Database:MaxPoolSize.")
            .Validate<IConfiguration>(
                (_, configuration) => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)),
                PostgresDataSourceFactory.MissingConnectionStringMessage)
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return PostgresDataSourceFactory.Create(connectionString, options);
        });
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();

        // Repositories hold no state but the data source: one instance each, connections taken per call.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PostgresTransactionRunner>();
        builder.Services.AddSingleton<IMarketDataRepository, MarketDataRepository>();
        builder.Services.AddSingleton<ISignalRepository, SignalRepository>();
        builder.Services.AddSingleton<Core.Signals.Budget.IAiSpendRepository, AiSpendRepository>();
        builder.Services.AddSingleton<Core.Signals.Calibration.IHitRateGateStateRepository, HitRateGateStateRepository>();
        // Orders, positions and daily stats are also registered as themselves: their transaction-joining overloads
        // are what a unit of work over the three tables calls.
        builder.Services.AddSingleton<OrderRepository>();
        builder.Services.AddSingleton<IOrderRepository>(sp => sp.GetRequiredService<OrderRepository>());
        builder.Services.AddSingleton<PositionRepository>();
        builder.Services.AddSingleton<IPositionRepository>(sp => sp.GetRequiredService<PositionRepository>());
        builder.Services.AddSingleton<DailyStatsRepository>();
        builder.Services.AddSingleton<IDailyStatsRepository>(sp => sp.GetRequiredService<DailyStatsRepository>());
        builder.Services.AddSingleton<IRiskEventRepository, RiskEventRepository>();
        builder.Services.AddSingleton<ISystemConfigRepository, SystemConfigRepository>();
        builder.Services.AddSingleton<IJobRunRepository, JobRunRepository>();
        builder.Services.AddSingleton<IBacktestRunRepository, BacktestRunRepository>();
        return builder;
    }
}
