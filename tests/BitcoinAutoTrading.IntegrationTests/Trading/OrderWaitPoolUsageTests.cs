using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>Runs alone, so the Npgsql meter sees only this class's pool.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PoolMeasurementCollection
{
    public const string Name = "Pool measurement";
}

/// <summary>
/// SPEC §12 P1: while an order waits on the exchange (durable timers between polls, and a lookup the exchange holds
/// for 1.5 s) no pooled PostgreSQL connection is in use. Sampled from the Npgsql meter every 100 ms.
/// </summary>
[Collection(PoolMeasurementCollection.Name)]
public sealed class OrderWaitPoolUsageTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = OrderExecutionTestHost.Build(database, _upbit);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _upbit.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Run_OrderWaitsForSlowFill_NoPooledConnectionInUseWhileWaiting()
    {
        OrderExecutionTestHost.Seed(_upbit);
        _upbit.FillDelay = TimeSpan.FromSeconds(4);
        // The submit step's lookup and the client's own lookup answer at once; the first poll is held 1.5 s by the exchange.
        _upbit.ScheduleFaults(UpbitEndpoint.GetOrder, UpbitFault.None, UpbitFault.None, UpbitFault.Slow(TimeSpan.FromSeconds(1.5)));
        var steps = new ActivityTracker(_app.Services.GetRequiredService<IOrderExecutionSteps>());
        using var pool = new PoolUsageMeter();

        // The meter reads this pool: a connection taken is seen, and seen returned.
        await using (await database.DataSource.OpenConnectionAsync())
        {
            Assert.True(pool.SampleUsed() >= 1);
        }
        Assert.Equal(0, pool.SampleUsed());

        await using var host = await OrchestrationHost.StartAsync(steps);
        var polling = new OrderPolling(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var run = OrchestrationHost.RunToCompletionAsync(host, OrderExecutionTestHost.Buy(100_000m, polling), TimeSpan.FromSeconds(90));

        var samples = new List<(long Used, bool ActivityRunning)>();
        while (!run.IsCompleted)
        {
            // The wait: the exchange has the order and has not filled it.
            var waiting = _upbit.Orders is [{ State: "wait" }];
            if (waiting)
            {
                samples.Add((pool.SampleUsed(), steps.Running > 0));
            }
            await Task.Delay(100);
        }
        var outcome = await run;

        var maxUsed = samples.Count == 0 ? -1 : samples.Max(s => s.Used);
        var maxUsedBetweenActivities = samples.Where(s => !s.ActivityRunning).Select(s => s.Used).DefaultIfEmpty(0).Max();
        var samplesInUse = samples.Count(s => s.Used > 0);
        output.WriteLine($"P1: {samples.Count} samples over the {_upbit.FillDelay.TotalSeconds:0} s wait; max busy connections {maxUsed} " +
            $"(between activities {maxUsedBetweenActivities}); samples with a busy connection {samplesInUse}; polls {steps.Polls}");

        Assert.Equal(OrderStatus.Executed, outcome.Status);
        Assert.True(samples.Count >= 25, $"only {samples.Count} samples taken during the wait");
        Assert.True(steps.Polls >= 3);
        Assert.Equal(0, maxUsedBetweenActivities);
        // A step that kept its connection across the exchange call would be seen in most of the 15 samples of the held lookup;
        // a poll's own sub-millisecond read may rarely coincide with a sample.
        Assert.True(samplesInUse <= 1, $"{samplesInUse} samples saw a busy connection");
    }

    /// <summary>Counts the steps running now, so a sample can tell a durable-timer wait from an activity.</summary>
    private sealed class ActivityTracker(IOrderExecutionSteps inner) : IOrderExecutionSteps
    {
        private int _running;
        private int _polls;

        public int Running => Volatile.Read(ref _running);

        public int Polls => Volatile.Read(ref _polls);

        public Task<long> CreateOrderRecordAsync(CreateOrderRecordInput input, CancellationToken cancellationToken = default) =>
            Track(() => inner.CreateOrderRecordAsync(input, cancellationToken));

        public Task<SubmitOrderResult> SubmitOrderAsync(long orderId, CancellationToken cancellationToken = default) =>
            Track(() => inner.SubmitOrderAsync(orderId, cancellationToken));

        public Task<OrderStateSnapshot> GetOrderStateAsync(long orderId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _polls);
            return Track(() => inner.GetOrderStateAsync(orderId, cancellationToken));
        }

        public Task CancelOrderAsync(long orderId, CancellationToken cancellationToken = default) =>
            Track(async () => { await inner.CancelOrderAsync(orderId, cancellationToken); return true; });

        public Task RecordOrderResultAsync(RecordOrderResultInput input, CancellationToken cancellationToken = default) =>
            Track(async () => { await inner.RecordOrderResultAsync(input, cancellationToken); return true; });

        public Task RecordUnsettledCancelAsync(UnsettledCancelInput input, CancellationToken cancellationToken = default) =>
            Track(async () => { await inner.RecordUnsettledCancelAsync(input, cancellationToken); return true; });

        public Task<bool> ApplyFillToPositionAsync(long orderId, CancellationToken cancellationToken = default) =>
            Track(() => inner.ApplyFillToPositionAsync(orderId, cancellationToken));

        public Task SendNotificationAsync(OrderOutcome outcome, CancellationToken cancellationToken = default) =>
            Track(async () => { await inner.SendNotificationAsync(outcome, cancellationToken); return true; });

        private async Task<T> Track<T>(Func<Task<T>> step)
        {
            Interlocked.Increment(ref _running);
            try
            {
                return await step();
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
