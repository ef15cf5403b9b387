using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class PostgresTransactionRunnerTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 3, 2);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly OrderRepository _orders = new(db.DataSource);
    private PostgresTransactionRunner Runner => new(db.DataSource);
    private PositionRepository Positions => new(db.DataSource, _time);
    private DailyStatsRepository DailyStats => new(db.DataSource, _time);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_WorkCompletes_OrderPositionAndDayCommittedTogether()
    {
        var orderId = await FilledBuyAsync();

        var applied = await Runner.RunAsync((tx, ct) => ApplyAsync(orderId, tx, ct));
        var appliedAgain = await Runner.RunAsync((tx, ct) => ApplyAsync(orderId, tx, ct));

        Assert.True(applied);
        Assert.False(appliedAgain);
        Assert.Equal(T0.AddMinutes(1), (await _orders.GetByIdAsync(orderId))!.PositionAppliedAt);
        Assert.Equal(0.00157704m, (await Positions.GetAsync(Market))!.Quantity);
        Assert.NotNull(await DailyStats.GetAsync(Day));
    }

    [Fact]
    public async Task RunAsync_WorkThrows_EverythingRolledBack()
    {
        var orderId = await FilledBuyAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner.RunAsync<bool>(async (tx, ct) =>
        {
            await ApplyAsync(orderId, tx, ct);
            throw new InvalidOperationException("crash between the writes and the commit");
        }));

        Assert.Null((await _orders.GetByIdAsync(orderId))!.PositionAppliedAt);
        Assert.Null(await Positions.GetAsync(Market));
        Assert.Null(await DailyStats.GetAsync(Day));
    }

    [Fact]
    public async Task RunAsync_OrderLockedForUpdate_SecondUnitOfWorkWaitsForTheFirst()
    {
        var orderId = await FilledBuyAsync();
        var firstHasLock = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();

        var first = Runner.RunAsync(async (tx, ct) =>
        {
            await _orders.GetByIdAsync(orderId, tx, forUpdate: true, ct);
            firstHasLock.SetResult();
            await releaseFirst.Task;
            return await _orders.MarkPositionAppliedAsync(orderId, T0, tx, ct);
        });
        await firstHasLock.Task;
        var second = Runner.RunAsync(async (tx, ct) =>
        {
            await _orders.GetByIdAsync(orderId, tx, forUpdate: true, ct);
            return await _orders.MarkPositionAppliedAsync(orderId, T0.AddSeconds(1), tx, ct);
        });
        await Task.Delay(300);
        var secondFinishedWhileLocked = second.IsCompleted;
        releaseFirst.SetResult();

        Assert.False(secondFinishedWhileLocked);
        Assert.Equal((true, false), (await first, await second));
        Assert.Equal(T0, (await _orders.GetByIdAsync(orderId))!.PositionAppliedAt);
    }

    private async Task<long> FilledBuyAsync()
    {
        var order = (await _orders.CreateAsync(MarketBuy("ord-1", T0))).Order;
        await _orders.MarkSubmittedAsync(order.Id, "uuid-1", T0);
        await _orders.RecordResultAsync(order.Id, OrderStatus.Executed, 0.00157704m, 149_925m, 95_066_071.88m, 74.9625m, null, T0.AddSeconds(2));
        return order.Id;
    }

    // The shape of the later fill application: guard on the order, then position and day in the same transaction.
    private async Task<bool> ApplyAsync(long orderId, Npgsql.NpgsqlTransaction tx, CancellationToken ct)
    {
        var order = await _orders.GetByIdAsync(orderId, tx, forUpdate: true, ct);
        if (!await _orders.MarkPositionAppliedAsync(orderId, T0.AddMinutes(1), tx, ct))
        {
            return false;
        }
        var position = await Positions.GetAsync(Market, tx, forUpdate: true, ct)
            ?? new Position(Market, 0m, 0m, 0m, null, null, T0);
        await Positions.UpsertAsync(position with { Quantity = position.Quantity + order!.ExecutedVolume, AvgEntryPrice = order.AvgPrice!.Value, OpenedAt = T0 }, tx, ct);
        await DailyStats.EnsureDayAsync(Day, 1_000_000m, tx, ct);
        return true;
    }
}
