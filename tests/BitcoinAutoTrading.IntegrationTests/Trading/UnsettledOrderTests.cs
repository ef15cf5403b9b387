using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Orders the exchange has not finished (issue #12 item 3, SPEC §5.3, §6): a deadline cancel Upbit accepts but does not
/// settle, and a protective exit that finds an entry in flight. The real orchestrator runs in the Durable in-process
/// host over the app's composition in Live mode, PostgreSQL, and the Upbit client over HTTP to the fake.
/// </summary>
public sealed class UnsettledOrderTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = OrderExecutionTestHost.Market;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly RecordingNotifier _notifier = new();
    private readonly List<OrderInstruction> _exitsStarted = [];
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit,
            new Dictionary<string, string?> { ["Orders:PollTimeout"] = "00:00:01" },
            services =>
            {
                services.AddSingleton<INotifier>(_notifier);
                // The protective exit's hand-off is recorded; the entry runs in the real orchestration below.
                services.AddSingleton<IOrderStarter>(new RecordingStarter(_exitsStarted));
            });
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
    public async Task Run_DeadlineCancelNotSettled_CompletesCleanlyLeavesOrderOpenNotifiesAndSyncFinishesIt()
    {
        _upbit.FillAfterLookups = int.MaxValue;
        _upbit.PartialFillOnCancel = 0.4m;
        _upbit.CancelSettlesAfterLookups = int.MaxValue;
        await using var host = await OrchestrationHost.StartAsync(Steps);
        var polling = new OrderPolling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

        // RunToCompletionAsync asserts the orchestration Completed (not Failed).
        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m, polling), Timeout);

        Assert.Equal(OrderStatus.Submitted, outcome.Status);
        var order = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.Submitted, order!.Status);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        var trace = Assert.Single(await RiskEventsAsync(), e => e.OrderId == outcome.OrderId);
        Assert.Equal(RiskEventType.SystemError, trace.Type);
        Assert.Contains("left open for SyncOpenOrders", trace.ActionTaken, StringComparison.Ordinal);
        var told = Assert.Single(_notifier.Sent, n => n.Message.Contains($"Order {outcome.OrderId} ", StringComparison.Ordinal));
        Assert.Equal(NotificationSeverity.Warning, told.Severity);
        Assert.Contains("cancel_unsettled", told.Message, StringComparison.Ordinal);

        // Upbit settles the cancel later; the next SyncOpenOrders run finishes the order and applies its fill once.
        _upbit.SettleCancels();
        var sync = ActivatorUtilities.CreateInstance<SyncOpenOrdersFunction>(_app.Services);
        await sync.SyncOpenOrders(new TimerInfo(), host.Client, CancellationToken.None);

        var finished = await Orders.GetByIdAsync(outcome.OrderId);
        Assert.Equal(OrderStatus.PartiallyExecuted, finished!.Status);
        Assert.Equal(0.0004m, finished.ExecutedVolume);
        Assert.NotNull(finished.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(Market);
        Assert.Equal(0.0004m, position!.Quantity);
    }

    [Fact]
    public async Task CheckAsync_StopLossFindsEntryInFlight_CancelsEntryRecordsDeferralThenExitsNextMinute()
    {
        // Holding 0.01 BTC bought at 100M; the price has crashed to 90M while a BUY sits open at the exchange.
        _upbit.SetBalance("BTC", 0.01m);
        _upbit.SetTicker(Market, 90_000_000m);
        _upbit.FillAfterLookups = int.MaxValue;
        await new PositionRepository(database.DataSource, TimeProvider.System).UpsertAsync(
            new Position(Market, 0.01m, 100_000_000m, 0m, 100_000_000m, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(-1)));
        await using var host = await OrchestrationHost.StartAsync(Steps);
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(Market);
        var slowPolling = new OrderPolling(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(5));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ExecuteOrderOrchestrator), OrderExecutionTestHost.Buy(100_000m, slowPolling), new StartOrchestrationOptions(instanceId));
        var entry = await WaitForSubmittedAsync();
        var exits = _app.Services.GetRequiredService<IProtectiveExitMonitor>();

        await exits.CheckAsync(Market, 90_000_000m);

        Assert.Empty(_exitsStarted);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.CancelOrder));
        var deferral = Assert.Single(await RiskEventsAsync(), e => e.Type == RiskEventType.StopLoss);
        Assert.StartsWith($"exit deferred: entry order {entry.Id} in flight, cancel requested", deferral.ActionTaken, StringComparison.Ordinal);
        // The entry's own orchestration sees the cancel well before its 5-minute deadline and records it.
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var metadata = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        }
        Assert.Equal(OrderStatus.Cancelled, (await Orders.GetByIdAsync(entry.Id))!.Status);

        await exits.CheckAsync(Market, 90_000_000m);

        var sell = Assert.Single(_exitsStarted);
        Assert.Equal((OrderSide.Sell, OrderReason.StopLoss, 0.01m), (sell.Side, sell.Reason, sell.Volume));
    }

    private async Task<Order> WaitForSubmittedAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if (await Orders.GetActiveAsync(Market) is { ExchangeUuid: not null } active)
            {
                return active;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The entry was never submitted.");
    }

    private Task<IReadOnlyList<RiskEvent>> RiskEventsAsync() =>
        _app.Services.GetRequiredService<IRiskEventRepository>().ListAsync(20);

    private sealed class RecordingStarter(List<OrderInstruction> started) : IOrderStarter
    {
        public Task<OrderStartResult> StartAsync(OrderInstruction instruction, CancellationToken cancellationToken = default)
        {
            started.Add(instruction);
            return Task.FromResult(new OrderStartResult(OrderStartStatus.Started, ExecuteOrderOrchestrator.InstanceIdFor(instruction.Market)));
        }
    }
}
