using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// The app's own composition (<see cref="AppComposition.ComposeApp"/>, what Program.cs runs) over the benchmark database,
/// in paper mode, with the exchange swapped for the in-process <see cref="CountingExchange"/> so nothing leaves the
/// machine. The host is built but not started: the harness has already migrated the database.
/// </summary>
internal static class AppHost
{
    public static IHost Build(string connectionString, IExchange exchange, int maxPoolSize)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Database:MaxPoolSize"] = maxPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Trading:Mode"] = "Paper",
            ["Gemini:ApiKey"] = "benchmark-placeholder",
            ["MarketDataSchedule"] = "0 * * * * *",
            ["SignalSchedule"] = "0 */30 * * * *",
            ["EvaluateSignalsSchedule"] = "0 0 */4 * * *",
            ["RollDailyStatsSchedule"] = "0 5 15 * * *",
            ["SyncOpenOrdersSchedule"] = "0 */5 * * * *",
            ["PurgeMarketDataSchedule"] = "0 30 18 * * *",
        });
        builder.ComposeApp();
        // Last registration wins: every consumer of IExchange (order steps, ledger, API) gets the fake.
        builder.Services.AddSingleton(exchange);
        return builder.Build();
    }
}
