using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// The SyncOpenOrders timer (SPEC §2.1, issue 5 item 6): orders left non-terminal past the poll deadline with no live
/// orchestration are settled with the exchange and their fill applied once; an order its orchestration still works on
/// is left alone.
/// </summary>
public sealed class SyncOpenOrdersTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan PastDeadline = TimeSpan.FromSeconds(1.2);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit, new Dictionary<string, string?> { ["Orders:PollTimeout"] = "00:00:01" });
        OrderExecutionTestHost.Seed(_upbit);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    private IOrderExecutionSteps Steps => _app.Services.GetRequiredService<IOrderExecutionSteps>();

    private IOrderRepository Orders => _app.Services.GetRequiredService<IOrderRepository>();

    [Fact]
    public async Task SyncOpenOrders_OpenOrderWithoutOrchestration_CancelledPartialFillAppliedOnceAndRunRecorded()
    {
        _upbit.FillAfterLookups = int.MaxValue;
        _upbit.PartialFillOnCancel = 0.5m;
        var orderId = await Steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
            OrderExecutionTestHost.Buy(100_000m).Instruction, $"bat-{Guid.NewGuid():N}"));
        await Steps.SubmitOrderAsync(orderId);
        await Task.Delay(PastDeadline);
        await using var host = await OrchestrationHost.StartAsync(Steps);
        var function = ActivatorUtilities.CreateInstance<SyncOpenOrdersFunction>(_app.Services);

        await function.SyncOpenOrders(new TimerInfo(), host.Client, CancellationToken.None);
        await function.SyncOpenOrders(new TimerInfo(), host.Client, CancellationToken.None);

        var order = await Orders.GetByIdAsync(orderId);
        Assert.Equal(OrderStatus.PartiallyExecuted, order!.Status);
        Assert.Equal(0.0005m, order.ExecutedVolume);
        Assert.NotNull(order.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.0005m, position!.Quantity);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        Assert.Equal(1, Assert.Single(await _app.Services.GetRequiredService<IDailyStatsRepository>().ListAsync(1)).TradeCount);
        Assert.Equal(2L, await OrderExecutionTestHost.ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM job_runs WHERE job = 'SyncOpenOrders' AND outcome = 'succeeded'"));
    }

    [Fact]
    public async Task ReconcileAsync_OrderNeverPlaced_FailedWithoutPlacingIt()
    {
        var orderId = await Steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
            OrderExecutionTestHost.Buy(100_000m).Instruction, $"bat-{Guid.NewGuid():N}"));
        await Task.Delay(PastDeadline);
        await using var host = await OrchestrationHost.StartAsync(Steps);
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(host.Client);

        var finished = await _app.Services.GetRequiredService<OpenOrderReconciler>().ReconcileAsync();

        Assert.Equal(1, finished);
        var order = await Orders.GetByIdAsync(orderId);
        Assert.Equal(OrderStatus.Failed, order!.Status);
        Assert.StartsWith("order_not_found", order.Error, StringComparison.Ordinal);
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        // A late submit run of the lost orchestration must not place it now.
        var late = await Steps.SubmitOrderAsync(orderId);
        Assert.False(late.Accepted);
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
    }

    [Fact]
    public async Task ReconcileAsync_FillRecordedButNeverApplied_AppliedOnce()
    {
        // The process stopped between RecordOrderResult (TX2) and ApplyFillToPosition (TX3), and the orchestration was lost.
        var orderId = await Steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
            OrderExecutionTestHost.Buy(100_000m).Instruction, $"bat-{Guid.NewGuid():N}"));
        await Steps.SubmitOrderAsync(orderId);
        await Steps.RecordOrderResultAsync(new RecordOrderResultInput(orderId, await Steps.GetOrderStateAsync(orderId)));
        await Task.Delay(PastDeadline);
        await using var host = await OrchestrationHost.StartAsync(Steps);
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(host.Client);
        var reconciler = _app.Services.GetRequiredService<OpenOrderReconciler>();

        var first = await reconciler.ReconcileAsync();
        var second = await reconciler.ReconcileAsync();

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.NotNull((await Orders.GetByIdAsync(orderId))!.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.001m, position!.Quantity);
    }

    [Fact]
    public async Task ReconcileAsync_OrchestrationStillPolling_LeavesTheOrderToIt()
    {
        _upbit.FillAfterLookups = int.MaxValue;
        await using var host = await OrchestrationHost.StartAsync(Steps);
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(host.Client);
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(OrderExecutionTestHost.Market);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ExecuteOrderOrchestrator),
            OrderExecutionTestHost.Buy(100_000m, new OrderPolling(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1))),
            new StartOrchestrationOptions(instanceId));
        while (await Orders.GetActiveAsync(OrderExecutionTestHost.Market) is not { Status: OrderStatus.Submitted })
        {
            await Task.Delay(50);
        }
        await Task.Delay(PastDeadline);

        var finished = await _app.Services.GetRequiredService<OpenOrderReconciler>().ReconcileAsync();

        Assert.Equal(0, finished);
        Assert.Equal(0, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        _upbit.FillOpenOrders();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrderStatus.Executed, metadata.ReadOutputAs<OrderOutcome>()!.Status);
    }
}
