using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// The app's whole composition (<see cref="AppComposition.ComposeApp"/>, what Program.cs runs), in Live mode against an
/// <see cref="UpbitFake"/> over real HTTP, over the test class's migrated database, with fast test timings.
/// The fixture's data source replaces the registered one so a test can watch its pool.
/// </summary>
internal static class OrderExecutionTestHost
{
    public const string Market = "KRW-BTC";

    public static readonly OrderPolling FastPolling = new(
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));

    public static IHost Build(
        PostgresDatabaseFixture database, UpbitFake upbit, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
            ["Trading:Mode"] = "Live",
            ["Upbit:BaseUrl"] = upbit.Url,
            ["Upbit:AccessKey"] = UpbitFake.AccessKey,
            ["Upbit:SecretKey"] = UpbitFake.SecretKey,
            ["Upbit:RetryBaseDelay"] = "00:00:00.010",
            ["Upbit:RequestTimeout"] = "00:00:10",
            ["Upbit:MaxRetryAfter"] = "00:00:05",
            ["Upbit:OrderRequestsPerSecond"] = "1000",
            ["Upbit:ExchangeRequestsPerSecond"] = "1000",
            ["Upbit:QuotationRequestsPerSecond"] = "1000",
            ["Orders:PollTimeout"] = "00:00:03",
            ["Orders:PollInitialInterval"] = "00:00:00.100",
            ["Orders:PollMaxInterval"] = "00:00:00.400",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(values);
        builder.ComposeApp();
        builder.Services.AddSingleton<NpgsqlDataSource>(database.DataSource);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A fake exchange with a price and money on it; answers fast and reports generous rate limits.</summary>
    public static void Seed(UpbitFake upbit, decimal price = 100_000_000m, decimal krw = 1_000_000m, decimal btc = 0m)
    {
        upbit.Reset();
        foreach (var group in new[] { "quotation", "default", "order" })
        {
            upbit.SetReportedLimit(group, 100_000);
        }
        upbit.SetTicker(Market, price);
        upbit.SetBalance("KRW", krw);
        if (btc > 0)
        {
            upbit.SetBalance("BTC", btc);
        }
    }

    public static ExecuteOrderInput Buy(decimal krw, OrderPolling? polling = null) => new(
        new OrderInstruction(Market, Core.Exchange.OrderSide.Buy, Core.Exchange.OrderType.Price, OrderReason.Signal, Krw: krw),
        polling ?? FastPolling);

    public static ExecuteOrderInput Sell(decimal volume, OrderPolling? polling = null) => new(
        new OrderInstruction(Market, Core.Exchange.OrderSide.Sell, Core.Exchange.OrderType.Market, OrderReason.Signal, Volume: volume),
        polling ?? FastPolling);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
