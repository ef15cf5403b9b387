using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>SPEC §13 R9: two signal runs at once start at most one order per market; the order table is the second guard.</summary>
public sealed class DurableOrderStarterTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly OrderInstruction BuyInstruction = OrderExecutionTestHost.Buy(100_000m).Instruction;
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit);
        OrderExecutionTestHost.Seed(_upbit);
        // The exchange is slow to fill, so the first order is still in flight when the second start arrives.
        _upbit.FillAfterLookups = 3;
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task StartAsync_TwoAtOnce_OneStartedOneAlreadyInFlightAndOneOrder()
    {
        await using var host = await OrchestrationHost.StartAsync(_app.Services.GetRequiredService<IOrderExecutionSteps>());
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(host.Client);
        var starter = _app.Services.GetRequiredService<IOrderStarter>();

        var results = await Task.WhenAll(
            Task.Run(() => starter.StartAsync(BuyInstruction)),
            Task.Run(() => starter.StartAsync(BuyInstruction)));

        Assert.Equal(1, results.Count(r => r.Status == OrderStartStatus.Started));
        Assert.Equal(1, results.Count(r => r.Status == OrderStartStatus.AlreadyInFlight));
        Assert.All(results, r => Assert.Equal("order-KRW-BTC", r.InstanceId));
        var metadata = await WaitAsync(host, "order-KRW-BTC");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        // The polling comes from the Orders settings of the app.
        Assert.Equal(new OrderPolling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3)),
            metadata.ReadInputAs<ExecuteOrderInput>()!.Polling);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(1, await _app.Services.GetRequiredService<IOrderRepository>().CountAsync(null));
        output.WriteLine($"R9 (one process): {string.Join(", ", results.Select(r => r.Status))}; exchange orders {_upbit.OrdersPlaced}");
    }

    [Fact]
    public async Task StartAsync_TwoProcessesAtOnce_AtMostOneOrderInFlight()
    {
        await using var host = await OrchestrationHost.StartAsync(_app.Services.GetRequiredService<IOrderExecutionSteps>());
        var accessor = _app.Services.GetRequiredService<DurableClientAccessor>();
        accessor.Use(host.Client);
        // Two starters that share nothing but the task hub and the database, as two worker instances would.
        using var first = NewStarter(accessor);
        using var second = NewStarter(accessor);

        var results = await Task.WhenAll(
            Task.Run(() => first.StartAsync(BuyInstruction)),
            Task.Run(() => second.StartAsync(BuyInstruction)));
        await WaitAsync(host, "order-KRW-BTC");

        var orders = await _app.Services.GetRequiredService<IOrderRepository>().ListAsync(null, 10);
        output.WriteLine($"R9 (two processes): {string.Join(", ", results.Select(r => r.Status))}; order rows {orders.Count}; " +
            $"exchange orders {_upbit.OrdersPlaced}");
        Assert.Contains(results, r => r.Status == OrderStartStatus.Started);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Single(orders, o => o.Status is OrderStatus.Executed);
    }

    [Fact]
    public async Task CreateOrderRecord_SecondOrderForTheMarket_RefusedAsAlreadyInFlightAndStarterDeclines()
    {
        await using var host = await OrchestrationHost.StartAsync(_app.Services.GetRequiredService<IOrderExecutionSteps>());
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(host.Client);
        var steps = _app.Services.GetRequiredService<IOrderExecutionSteps>();
        var firstId = await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(BuyInstruction, $"bat-{Guid.NewGuid():N}"));

        var refused = await Assert.ThrowsAsync<OrderAlreadyInFlightException>(() =>
            steps.CreateOrderRecordAsync(new CreateOrderRecordInput(BuyInstruction, $"bat-{Guid.NewGuid():N}")));
        var start = await _app.Services.GetRequiredService<IOrderStarter>().StartAsync(BuyInstruction);

        Assert.Equal("KRW-BTC", refused.Market);
        Assert.Equal(OrderStartStatus.AlreadyInFlight, start.Status);
        Assert.Null(await host.Client.GetInstanceAsync("order-KRW-BTC"));
        var active = await _app.Services.GetRequiredService<IOrderRepository>().GetActiveAsync("KRW-BTC");
        Assert.Equal(firstId, active!.Id);
        // The same identifier again is a repeat, not a second order.
        Assert.Equal(firstId, await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(BuyInstruction, active.Identifier)));
    }

    private DurableOrderStarter NewStarter(DurableClientAccessor accessor) => new(
        accessor,
        _app.Services.GetRequiredService<IOrderRepository>(),
        _app.Services.GetRequiredService<IOptions<OrdersOptions>>(),
        _app.Services.GetRequiredService<ILogger<DurableOrderStarter>>());

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskTestHost host, string instanceId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
    }
}
