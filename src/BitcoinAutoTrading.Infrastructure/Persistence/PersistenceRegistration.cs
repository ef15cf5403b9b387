using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        return builder;
    }
}
