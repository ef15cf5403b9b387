using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class DailyStatsRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    // 16:00 UTC on 3 March is 01:00 on 4 March in Korea: "today" is the KST date.
    private static readonly DateTimeOffset Now = new(2026, 3, 3, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 4);
    private readonly FakeTimeProvider _time = new(Now);
    private DailyStatsRepository Repository => new(db.DataSource, _time);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EnsureDayAsync_CalledTwice_FirstStartingEquityStands()
    {
        var first = await Repository.EnsureDayAsync(Today, 1_000_000m);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await Repository.EnsureDayAsync(Today, 2_000_000m);

        var expected = new DailyStats(Today, 1_000_000m, null, 0m, 0, 0, 0, false, null, null, Now);
        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
        Assert.Equal(expected, await Repository.GetAsync(Today));
        Assert.Null(await Repository.GetAsync(Today.AddDays(1)));
    }

    [Fact]
    public async Task SetHaltAsync_ThenClearHaltAsync_TogglesHaltAndReason()
    {
        await Repository.EnsureDayAsync(Today, 1_000_000m);

        var halted = await Repository.SetHaltAsync(Today, "daily loss 5.2% >= 5%");
        var haltedDay = await Repository.GetAsync(Today);
        var cleared = await Repository.ClearHaltAsync(Today);
        var clearedDay = await Repository.GetAsync(Today);

        Assert.True(halted);
        Assert.Equal((true, "daily loss 5.2% >= 5%"), (haltedDay!.IsHalted, haltedDay.HaltReason));
        Assert.True(cleared);
        Assert.Equal((false, (string?)null), (clearedDay!.IsHalted, clearedDay.HaltReason));
        Assert.False(await Repository.SetHaltAsync(Today.AddDays(1), "no such day"));
        Assert.False(await Repository.ClearHaltAsync(Today.AddDays(1)));
    }

    [Fact]
    public async Task CloseDayAsync_Twice_RecordsEndingEquityOnce()
    {
        await Repository.EnsureDayAsync(Today, 1_000_000m);
        var at = Now.AddHours(23);

        var first = await Repository.CloseDayAsync(Today, 1_012_345.67m, at);
        var second = await Repository.CloseDayAsync(Today, 5m, at.AddHours(1));
        var missing = await Repository.CloseDayAsync(Today.AddDays(-1), 5m, at);

        Assert.Equal((true, false, false), (first, second, missing));
        var day = await Repository.GetAsync(Today);
        Assert.Equal((1_012_345.67m, (DateTimeOffset?)at), (day!.EndingEquityKrw, day.ClosedAt));
    }

    [Fact]
    public async Task ListAsync_Days_ReturnsLastKstDaysNewestFirst()
    {
        foreach (var offset in new[] { 0, -1, -2, -6, -7, 1 })
        {
            await Repository.EnsureDayAsync(Today.AddDays(offset), 1_000_000m + offset);
        }

        var week = await Repository.ListAsync(7);
        var one = await Repository.ListAsync(1);

        Assert.Equal([Today, Today.AddDays(-1), Today.AddDays(-2), Today.AddDays(-6)], week.Select(d => d.TradeDate));
        Assert.Equal([Today], one.Select(d => d.TradeDate));
    }

    [Fact]
    public async Task EnsureDayAsync_NegativeEquity_RejectedByCheckConstraint()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => Repository.EnsureDayAsync(Today, -1m));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_daily_stats_equity", error.ConstraintName);
    }
}
