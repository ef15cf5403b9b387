using BitcoinAutoTrading.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;

// Usage: dotnet run --project src/BitcoinAutoTrading.Migrator [-- --connection "<connection string>"]
// Without --connection, ConnectionStrings__Postgres from the environment is used.
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args, new Dictionary<string, string> { ["--connection"] = "ConnectionStrings:Postgres" })
    .Build();

try
{
    await using var dataSource = PostgresDataSourceFactory.Create(
        configuration.GetConnectionString(PersistenceRegistration.ConnectionStringName),
        new DatabaseOptions { MinPoolSize = 0, MaxPoolSize = 2 });
    var applied = await new DatabaseMigrator(dataSource).MigrateAsync();
    Console.WriteLine(applied.Count == 0
        ? "Database is up to date."
        : $"Applied migrations: {string.Join(", ", applied.Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}"
          + (HasGaps() ? " (gaps in the numbering are expected: numbers are reserved per change; see README)." : "."));
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"Migration failed: {ex.Message}");
    return 1;
}

static bool HasGaps()
{
    var versions = DatabaseMigrator.EmbeddedMigrations.Select(m => m.Version).ToList();
    return versions.Count > 0 && versions[^1] - versions[0] + 1 != versions.Count;
}
