using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.IntegrationTests.Persistence;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>Rows written through the real repositories, relative to <see cref="ApiTestHost.Now"/>.</summary>
internal static class ApiTestData
{
    /// <summary>One minute per minute for the last <paramref name="count"/> minutes, the newest starting one minute before now.</summary>
    public static Task<int> SeedMinutesAsync(ApiTestHost host, int count) =>
        host.Service<IMarketDataRepository>().UpsertMinutesAsync(
            PersistenceTestData.Minutes(count, ApiTestHost.Now.AddMinutes(-count)));

    public static Task<long> SeedSignalAsync(ApiTestHost host, DateTimeOffset createdAt, SignalType type = SignalType.Buy, bool fallback = false) =>
        host.Service<ISignalRepository>().InsertAsync(PersistenceTestData.Signal(createdAt, type) with { IsFallback = fallback });

    public static async Task<Order> SeedExecutedBuyAsync(ApiTestHost host, string identifier, DateTimeOffset createdAt)
    {
        var orders = host.Service<IOrderRepository>();
        var created = await orders.CreateAsync(PersistenceTestData.MarketBuy(identifier, createdAt));
        await orders.MarkSubmittedAsync(created.Order.Id, "uuid-" + identifier, createdAt.AddSeconds(1));
        await orders.RecordResultAsync(created.Order.Id, OrderStatus.Executed, 0.0015m, 150_000m, 100_000_000m, 75m, null, createdAt.AddSeconds(5));
        return (await orders.GetByIdAsync(created.Order.Id))!;
    }

    public static async Task<Order> SeedPendingSellAsync(ApiTestHost host, string identifier, DateTimeOffset createdAt) =>
        (await host.Service<IOrderRepository>().CreateAsync(PersistenceTestData.MarketSell(identifier, createdAt, 0.001m))).Order;

    public static Task<long> SeedRiskEventAsync(ApiTestHost host, RiskEventType type, DateTimeOffset createdAt) =>
        host.Service<IRiskEventRepository>().InsertAsync(new NewRiskEvent
        {
            Type = type,
            ActionTaken = "entry refused",
            TriggerValue = 0.55m,
            ThresholdValue = 0.6m,
            DetailsJson = """{"note": "test"}""",
            CreatedAt = createdAt,
        });

    public static async Task SeedJobRunAsync(ApiTestHost host, string job, JobOutcome outcome, DateTimeOffset startedAt)
    {
        var runs = host.Service<IJobRunRepository>();
        var id = await runs.StartAsync(job, startedAt, isPastDue: false);
        await runs.FinishAsync(id, outcome, outcome == JobOutcome.Failed ? 4 : 1, outcome == JobOutcome.Failed ? "boom" : null, startedAt.AddSeconds(2));
    }

    /// <summary>A fingerprint of every table's contents: equal before and after means nothing was written.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> FingerprintAsync(NpgsqlDataSource dataSource)
    {
        string[] tables =
        [
            "market_data", "trading_signals", "orders", "positions", "daily_stats", "risk_events", "system_config",
            "paper_balances", "paper_orders", "job_runs",
        ];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t");
            result[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return result;
    }
}
