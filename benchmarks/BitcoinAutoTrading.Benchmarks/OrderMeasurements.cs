using BitcoinAutoTrading.IntegrationTests.Trading;
using System.Diagnostics;
using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Trading;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// SPEC §12 P1 and P10 on the app's own composition: the real <see cref="ExecuteOrderOrchestrator"/> and
/// <see cref="OrderActivities"/> in the Durable in-process host over the real order steps, an exchange that fills late,
/// and the real HTTP query functions invoked concurrently with a pool of 20.
/// </summary>
internal sealed class OrderMeasurements(string connectionString, bool quick) : IAsyncDisposable
{
    private const int PoolMax = 20;
    private const int Concurrent = 50;
    private readonly CountingExchange _exchange = new(quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(30));
    private IHost? _host;
    private DurableTaskTestHost? _durable;

    private IHost Host => _host ?? throw new InvalidOperationException("StartAsync first.");

    public async Task StartAsync()
    {
        _host = AppHost.Build(connectionString, _exchange, PoolMax);
        var activities = new OrderActivities(Host.Services.GetRequiredService<IOrderExecutionSteps>());
        _durable = await DurableTaskTestHost.StartAsync(
            registry => registry.AddOrderOrchestration(() => activities), new DurableTaskTestHostOptions { LoggerFactory = NullLoggerFactory.Instance }).ConfigureAwait(false);
    }

    public async Task<BenchResult> P1ConnectionsHeldAsync()
    {
        var wait = _exchange.FillAfter;

        // The app: Durable timers between short activities, each taking a connection only for its own statements.
        OrderOutcome outcome;
        int appMax;
        TimeSpan appHold;
        var stopwatch = Stopwatch.StartNew();
        await using (var sampler = new PoolSampler())
        {
            outcome = await RunOrderAsync("p1", wait + TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            appMax = sampler.Max;
            appHold = sampler.LongestHold;
        }
        var appElapsed = stopwatch.Elapsed;
        if (outcome.Status != OrderStatus.Executed)
        {
            throw new InvalidOperationException($"P1: the order ended {outcome.Status}: {outcome.Error}");
        }

        // The seed's design: one connection and transaction open from the insert until the fill is known.
        int seedMax;
        TimeSpan seedHold;
        await using (var sampler = new PoolSampler())
        {
            var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
            await using (var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false))
            {
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                var id = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO orders (market, side, ord_type, requested_krw, identifier, status, reason)
                    VALUES ('KRW-ETH', 'BUY', 'price', 10000, @identifier, 'SUBMITTED', 'manual') RETURNING id
                    """, new { identifier = $"seed-design-{Guid.NewGuid():N}" }, transaction).ConfigureAwait(false);
                await Task.Delay(wait).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "UPDATE orders SET status = 'EXECUTED', finished_at = now() WHERE id = @id", new { id }, transaction).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
            }
            await Task.Delay(PoolSampler.Interval * 3).ConfigureAwait(false);
            seedMax = sampler.Max;
            seedHold = sampler.LongestHold;
        }

        var inv = CultureInfo.InvariantCulture;
        return new BenchResult(
            "P1", string.Create(inv, $"DB connections held while an order waits on the exchange (real orchestrator + activities, fill after {wait.TotalSeconds:F0} s), pool sampled every 100 ms"),
            string.Create(inv, $"app: max {appMax} busy, longest hold {appHold.TotalSeconds:F1} s over {appElapsed.TotalSeconds:F1} s; seed design (connection + transaction across the wait): max {seedMax}, longest hold {seedHold.TotalSeconds:F1} s"),
            string.Create(inv, $"{seedHold.TotalSeconds:F1} s → {appHold.TotalSeconds:F1} s held"),
            "0 held across the wait", appHold < TimeSpan.FromSeconds(1) && appHold < wait / 2)
        { Seed = "1 connection held 30 s+" };
    }

    public async Task<BenchResult> P10ConcurrentQueriesAsync()
    {
        var repository = Host.Services.GetRequiredService<IMarketDataRepository>();
        var now = DateTimeOffset.UtcNow;
        var minuteNow = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        await repository.UpsertMinutesAsync(BenchData.Minutes(minuteNow.AddMinutes(-1), 24 * 60, seed: 7)).ConfigureAwait(false);

        var waves = quick ? 3 : 10;
        var latencies = new List<double>();
        var errors = 0;
        var notOk = 0;
        using var collecting = new CancellationTokenSource();
        // A collection run upserting back-fill batches the whole time.
        var collection = Task.Run(async () =>
        {
            var batch = 0;
            while (!collecting.IsCancellationRequested)
            {
                await repository.UpsertMinutesAsync(BenchData.Minutes(minuteNow.AddMinutes(-1 - batch % 5 * 200), 200, seed: batch)).ConfigureAwait(false);
                batch++;
            }
        });
        // And an order executing (its activities and polls go through the same pool).
        var order = RunOrderAsync("p10", _exchange.FillAfter + TimeSpan.FromSeconds(90));

        var calls = new Func<Task<IActionResult>>[]
        {
            () => Function<MarketFunctions>().Stats(Request("market/stats", "?hours=24")),
            () => Function<MarketFunctions>().History(Request("market/history", "?hours=24&limit=100")),
            () => Function<MarketFunctions>().Latest(Request("market/latest", null)),
            () => Function<OrderFunctions>().List(Request("orders", "?limit=20")),
            () => Function<SignalFunctions>().List(Request("signals", "?limit=20")),
        };
        for (var wave = 0; wave < waves; wave++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async i =>
            {
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    var result = await calls[i % calls.Length]().ConfigureAwait(false);
                    return (Ms: stopwatch.Elapsed.TotalMilliseconds, Status: StatusOf(result), Failed: false);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    return (Ms: stopwatch.Elapsed.TotalMilliseconds, Status: 0, Failed: true);
                }
            })).ConfigureAwait(false);
            foreach (var (ms, status, failed) in results)
            {
                latencies.Add(ms);
                errors += failed || status >= 500 ? 1 : 0;
                notOk += !failed && status is < 200 or >= 300 ? 1 : 0;
            }
        }
        await collecting.CancelAsync().ConfigureAwait(false);
        await collection.ConfigureAwait(false);
        var outcome = await order.ConfigureAwait(false);

        latencies.Sort();
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        var inv = CultureInfo.InvariantCulture;
        return new BenchResult(
            "P10", string.Create(inv, $"{Concurrent} concurrent HTTP query functions × {waves} waves (market stats/history/latest, orders, signals) while an order executes and a collection run upserts; pool max {PoolMax}"),
            string.Create(inv, $"{latencies.Count} requests: {errors} errors, {notOk} non-2xx; p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms; order {outcome.Status}"),
            errors == 0 ? "0 errors" : $"{errors} errors",
            "no pool-exhaustion error, every request answered", errors == 0 && notOk == 0 && outcome.Status == OrderStatus.Executed)
        { Seed = "pool 5+10 exhausted" };
    }

    public async ValueTask DisposeAsync()
    {
        if (_durable is not null)
        {
            await _durable.DisposeAsync().ConfigureAwait(false);
        }
        _host?.Dispose();
    }

    private async Task<OrderOutcome> RunOrderAsync(string name, TimeSpan timeout)
    {
        var client = _durable!.Client;
        var input = new ExecuteOrderInput(
            new OrderInstruction(BenchData.Market, OrderSide.Buy, OrderType.Price, OrderReason.Manual, Krw: 10_000m),
            new OrderPolling(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)));
        var instanceId = $"{ExecuteOrderOrchestrator.InstanceIdFor(BenchData.Market)}-{name}";
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ExecuteOrderOrchestrator), input, new StartOrchestrationOptions(instanceId)).ConfigureAwait(false);
        using var cts = new CancellationTokenSource(timeout);
        var metadata = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token).ConfigureAwait(false);
        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"The order orchestration ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        }
        return metadata.ReadOutputAs<OrderOutcome>()!;
    }

    private T Function<T>() => ActivatorUtilities.CreateInstance<T>(Host.Services);

    private HttpRequest Request(string path, string? query)
    {
        var context = new DefaultHttpContext { RequestServices = Host.Services };
        context.Request.Method = "GET";
        context.Request.Path = new PathString("/api/" + path);
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }
        return context.Request;
    }

    private static int StatusOf(IActionResult result) => result switch
    {
        ObjectResult o => o.StatusCode ?? 200,
        StatusCodeResult s => s.StatusCode,
        _ => 200,
    };
}
