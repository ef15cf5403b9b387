using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// SPEC §13 R1 and R3 against the real steps, PostgreSQL and the Upbit client over HTTP: a submit whose answer is lost
/// and that runs again never places a second order; activities repeated by a replay, a concurrent run or the
/// reconciler after a dead worker change the position exactly once.
/// </summary>
public sealed class OrderExecutionFaultTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit, new Dictionary<string, string?>
        {
            // One quick retry inside the client, so an injected run of faults reaches the step as an unknown outcome.
            ["Upbit:MaxRetries"] = "1",
            ["Upbit:MaxOrderSubmitAttempts"] = "1",
            ["Orders:PollTimeout"] = "00:00:01",
        });
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    private IOrderExecutionSteps Steps => _app.Services.GetRequiredService<IOrderExecutionSteps>();

    private static readonly UpbitFault[] PostFaults =
    [
        UpbitFault.None,
        UpbitFault.ServerError,
        UpbitFault.ServerErrorAfterProcessing,
        UpbitFault.LostResponse,
    ];

    private static readonly UpbitFault[] LookupFaults = [UpbitFault.None, UpbitFault.ServerError];

    [Fact]
    public async Task SubmitOrder_AnswerLostAndStepRunsAgain_ExactlyOneExchangeOrderPerSchedule()
    {
        const int schedules = 100;
        var random = new Random(20_261_130);
        var steps = Steps;
        var runsPerSchedule = new List<int>();
        for (var schedule = 0; schedule < schedules; schedule++)
        {
            OrderExecutionTestHost.Seed(_upbit, krw: 10_000_000m);
            // A blind second POST would be accepted and show up as a second order.
            _upbit.EnforceUniqueIdentifiers = false;
            _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, Pick(random, PostFaults, 3));
            _upbit.ScheduleFaults(UpbitEndpoint.GetOrder, Pick(random, LookupFaults, 6));
            var identifier = $"bat-r1-{schedule}-{Guid.NewGuid():N}";
            var orderId = await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
                OrderExecutionTestHost.Buy(10_000m).Instruction, identifier));

            // At least once, as the activity retry policy runs it; then once more, as a replay would.
            var runs = 0;
            var first = await SubmitUntilAnsweredAsync(steps, orderId, () => runs++);
            var replay = await SubmitUntilAnsweredAsync(steps, orderId, () => runs++);
            runsPerSchedule.Add(runs);

            var placed = _upbit.Orders.Where(o => o.Identifier == identifier).ToList();
            Assert.Single(placed);
            Assert.True(first.Accepted);
            Assert.Equal(placed[0].Uuid, first.ExchangeUuid);
            Assert.Equal(first.ExchangeUuid, replay.ExchangeUuid);
            var stored = await _app.Services.GetRequiredService<IOrderRepository>().GetByIdAsync(orderId);
            Assert.Equal(placed[0].Uuid, stored!.ExchangeUuid);

            // Finish the order so the market is free for the next schedule (left-over lookup faults retried like the activity).
            var state = await RetryUnavailableAsync(() => steps.GetOrderStateAsync(orderId));
            await steps.RecordOrderResultAsync(new RecordOrderResultInput(orderId, state));
        }
        output.WriteLine($"R1: {schedules} fault schedules, exactly one exchange order each; submit step runs per schedule " +
            $"min {runsPerSchedule.Min()} max {runsPerSchedule.Max()} (incl. the replay)");
    }

    [Fact]
    public async Task Run_FirstPostAnswerLost_OneExchangeOrderAndExecuted()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.EnforceUniqueIdentifiers = false;
        _upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.LostResponse);
        // The client's own lookup after the lost answer fails too: the step fails and the activity retry runs it again.
        _upbit.ScheduleFaults(UpbitEndpoint.GetOrder, UpbitFault.None, UpbitFault.None, UpbitFault.ServerError, UpbitFault.ServerError);
        await using var host = await OrchestrationHost.StartAsync(Steps);

        var outcome = await OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m), Timeout);

        Assert.Equal(OrderStatus.Executed, outcome.Status);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.001m, position!.Quantity);
    }

    [Fact]
    public async Task Activities_RunAgainAsAReplay_NoSecondOrderAndPositionUpdatedOnce()
    {
        OrderExecutionTestHost.Seed(_upbit);
        await using var host = await OrchestrationHost.StartAsync(Steps);
        var input = OrderExecutionTestHost.Buy(100_000m);
        var outcome = await OrchestrationHost.RunToCompletionAsync(host, input, Timeout);
        var positions = _app.Services.GetRequiredService<IPositionRepository>();
        var before = await positions.GetAsync(OrderExecutionTestHost.Market);

        // Every activity again with the inputs the history holds, as a worker that replays after a crash would run them.
        var steps = Steps;
        var orderId = await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(input.Instruction, outcome.Identifier));
        var submit = await steps.SubmitOrderAsync(orderId);
        var state = await steps.GetOrderStateAsync(orderId);
        await steps.RecordOrderResultAsync(new RecordOrderResultInput(orderId, state));
        var applied = await steps.ApplyFillToPositionAsync(orderId);

        Assert.Equal(outcome.OrderId, orderId);
        Assert.True(submit.Accepted);
        Assert.False(applied);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.PlaceOrder));
        var after = await positions.GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(before!.Quantity, after!.Quantity);
        Assert.Equal(before.AvgEntryPrice, after.AvgEntryPrice);
        var today = Assert.Single(await _app.Services.GetRequiredService<IDailyStatsRepository>().ListAsync(1));
        Assert.Equal(1, today.TradeCount);
    }

    [Fact]
    public async Task ApplyFillToPosition_EightConcurrentRuns_AppliedExactlyOnce()
    {
        OrderExecutionTestHost.Seed(_upbit);
        var steps = Steps;
        var orderId = await steps.CreateOrderRecordAsync(new CreateOrderRecordInput(
            OrderExecutionTestHost.Buy(100_000m).Instruction, $"bat-r3-{Guid.NewGuid():N}"));
        await steps.SubmitOrderAsync(orderId);
        var state = await steps.GetOrderStateAsync(orderId);
        await steps.RecordOrderResultAsync(new RecordOrderResultInput(orderId, state));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Steps.ApplyFillToPositionAsync(orderId))));

        Assert.Equal(1, results.Count(applied => applied));
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.001m, position!.Quantity);
        Assert.Equal(100_050_000m, position.AvgEntryPrice);
        var today = Assert.Single(await _app.Services.GetRequiredService<IDailyStatsRepository>().ListAsync(1));
        Assert.Equal(1, today.TradeCount);
        output.WriteLine($"R3: 8 concurrent ApplyFillToPosition runs -> {results.Count(a => a)} applied, position {position.Quantity} BTC");
    }

    [Fact]
    public async Task WorkerDiesMidPoll_ReconcilerFinishesAndLateReplayChangesNothing()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.FillAfterLookups = int.MaxValue;
        var orders = _app.Services.GetRequiredService<IOrderRepository>();
        var slowPolling = new OrderPolling(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var dying = await OrchestrationHost.StartAsync(Steps);
        await dying.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ExecuteOrderOrchestrator), OrderExecutionTestHost.Buy(100_000m, slowPolling),
            new Microsoft.DurableTask.StartOrchestrationOptions(ExecuteOrderOrchestrator.InstanceIdFor(OrderExecutionTestHost.Market)));
        var order = await WaitForAsync(async () => await orders.GetActiveAsync(OrderExecutionTestHost.Market) is { Status: OrderStatus.Submitted } o ? o : null);
        await WaitForAsync(() => Task.FromResult(_upbit.RequestCount(UpbitEndpoint.GetOrder) >= 4 ? (object)true : null));
        // The worker dies mid-poll: its in-memory history is gone with it; the exchange fills the order meanwhile.
        await dying.DisposeAsync();
        _upbit.FillOpenOrders();
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        await using var fresh = await OrchestrationHost.StartAsync(Steps);
        _app.Services.GetRequiredService<DurableClientAccessor>().Use(fresh.Client);
        var reconciled = await _app.Services.GetRequiredService<OpenOrderReconciler>().ReconcileAsync();
        // A late replay of the dead worker's remaining steps.
        var steps = Steps;
        var state = await steps.GetOrderStateAsync(order.Id);
        await steps.RecordOrderResultAsync(new RecordOrderResultInput(order.Id, state));
        var appliedAgain = await steps.ApplyFillToPositionAsync(order.Id);

        Assert.Equal(1, reconciled);
        Assert.False(appliedAgain);
        var stored = await orders.GetByIdAsync(order.Id);
        Assert.Equal(OrderStatus.Executed, stored!.Status);
        Assert.NotNull(stored.PositionAppliedAt);
        var position = await _app.Services.GetRequiredService<IPositionRepository>().GetAsync(OrderExecutionTestHost.Market);
        Assert.Equal(0.001m, position!.Quantity);
        Assert.Equal(1, _upbit.OrdersPlaced);
        Assert.Equal(1, Assert.Single(await _app.Services.GetRequiredService<IDailyStatsRepository>().ListAsync(1)).TradeCount);
    }

    private static async Task<SubmitOrderResult> SubmitUntilAnsweredAsync(IOrderExecutionSteps steps, long orderId, Action onRun)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            onRun();
            try
            {
                return await steps.SubmitOrderAsync(orderId);
            }
            catch (ExchangeUnavailableException)
            {
                // Outcome unknown: the durable retry policy runs the step again, which starts with the identifier lookup.
            }
        }
        throw new InvalidOperationException("The submit step never got an answer.");
    }

    private static async Task<T> RetryUnavailableAsync<T>(Func<Task<T>> step)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (ExchangeUnavailableException) when (attempt < 10)
            {
            }
        }
    }

    private static UpbitFault[] Pick(Random random, UpbitFault[] from, int maxCount) =>
        Enumerable.Range(0, random.Next(0, maxCount + 1)).Select(_ => from[random.Next(from.Length)]).ToArray();

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < until)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("Condition not reached in 30 s.");
    }
}
