using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Risk;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Persistence;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using static BitcoinAutoTrading.IntegrationTests.Risk.RiskTestHost;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

/// <summary>
/// The daily loss limit end to end on PostgreSQL: a realized loss halts the KST day (one event, one notification),
/// entries are refused while stop-loss still sells (R8), and RollDailyStats at 00:05 KST lifts the daily halt but
/// not the operator's manual halt.
/// </summary>
public sealed class DailyLossHaltTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    /// <summary>12:00 KST on 10 March; the roll runs at 00:05 KST on 11 March (15:05 UTC on the 10th).</summary>
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RollTime = new(2026, 3, 10, 15, 5, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly DateOnly NextDay = new(2026, 3, 11);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task RecordRealizedLossAsync(DateOnly day, decimal pnl)
    {
        // What ApplyFillToPosition does to the day when a losing sell fills.
        await using var command = db.DataSource.CreateCommand(
            "UPDATE daily_stats SET realized_pnl_krw = realized_pnl_krw + $1, trade_count = trade_count + 1, loss_count = loss_count + 1 WHERE trade_date = $2");
        command.Parameters.AddWithValue(pnl);
        command.Parameters.AddWithValue(day);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>A stored signal, so the risk events that reference it satisfy the foreign key as in production.</summary>
    private async Task<long> StoredSignalAsync(DateTimeOffset at) =>
        await new SignalRepository(db.DataSource).InsertAsync(PersistenceTestData.Signal(at));

    /// <summary>What the minute collector stores: the last few closed minutes before now, quiet (no volatility halt).</summary>
    private async Task CollectorRanAsync(RiskTestHost host, int minutes = 3)
    {
        var now = host.Clock.GetUtcNow();
        var currentMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        await host.Get<IMarketDataRepository>().UpsertMinutesAsync(
            PersistenceTestData.Minutes(minutes, currentMinute.AddMinutes(-minutes), basePrice: 95_000_000m));
    }

    private static Task RollAsync(RiskTestHost host) =>
        new RollDailyStatsFunction(host.Get<Core.Jobs.IJobRunner>(), host.Get<DailyStatsRoller>(), Options.Create(new TradingOptions()))
            .RollDailyStats(new TimerInfo(), CancellationToken.None);

    [Fact]
    public async Task DailyLoss_HaltsOnceBlocksEntriesKeepsStopLoss_AndRollLiftsIt()
    {
        await using var host = new RiskTestHost(db.DataSource, Noon);
        var stats = host.Get<IDailyStatsRepository>();
        var events = host.Get<IRiskEventRepository>();
        var monitor = host.Get<IProtectiveExitMonitor>();
        var executor = host.Get<ISignalExecutor>();
        await stats.EnsureDayAsync(Day, 1_000_000m);
        await host.Get<IPositionRepository>().UpsertAsync(
            new Position(Market, 0.004m, 100_000_000m, -60_000m, 100_000_000m, Noon.AddHours(-2), Noon));
        await RecordRealizedLossAsync(Day, -60_000m);

        // Two collection minutes at a quiet price: the first halts, the second finds the day already halted.
        await monitor.CheckAsync(Market, 99_000_000m);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await monitor.CheckAsync(Market, 99_000_000m);

        var halted = (await stats.GetAsync(Day))!;
        Assert.True(halted.IsHalted);
        Assert.Contains("6%", halted.HaltReason, StringComparison.Ordinal);
        var limit = Assert.Single(await events.ListAsync(10, RiskEventType.DailyLimit));
        Assert.Equal((6m, 5m), (limit.TriggerValue, limit.ThresholdValue));
        Assert.Single(host.Notifications);

        // Halted: a BUY signal is refused and recorded; a stop-loss still sells the whole position.
        Assert.Equal("refused: DAILY_LIMIT", await executor.ExecuteAsync(await StoredSignalAsync(host.Clock.GetUtcNow()), Buy(0.9m, host.Clock.GetUtcNow())));
        host.SetHoldings(price: 94_000_000m, krwAvailable: 600_000m, btcAvailable: 0.004m);
        await monitor.CheckAsync(Market, 94_000_000m);
        var exit = Assert.Single(host.Started);
        Assert.Equal((OrderSide.Sell, OrderReason.StopLoss, 0.004m), (exit.Side, exit.Reason, exit.Volume));
        Assert.Single(await events.ListAsync(10, RiskEventType.StopLoss));

        // 00:05 KST: yesterday closes at current equity, today opens unhalted, and entries are allowed again.
        await host.Get<IPositionRepository>().UpsertAsync(new Position(Market, 0m, 0m, -90_000m, null, null, Noon));
        host.SetHoldings(price: 95_000_000m, krwAvailable: 950_000m);
        host.Clock.SetUtcNow(RollTime);
        await RollAsync(host);

        var closed = (await stats.GetAsync(Day))!;
        var opened = (await stats.GetAsync(NextDay))!;
        Assert.Equal(950_000m, closed.EndingEquityKrw);
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(950_000m, opened.StartingEquityKrw);
        Assert.False(opened.IsHalted);
        await CollectorRanAsync(host);
        Assert.Equal("order started", await executor.ExecuteAsync(await StoredSignalAsync(host.Clock.GetUtcNow()), Buy(0.8m, host.Clock.GetUtcNow())));
        // (10 + 15 × 0.8) % of 950,000 = 209,000 KRW.
        Assert.Equal(209_000m, host.Started[^1].Krw);
    }

    [Fact]
    public async Task ManualHalt_SurvivesTheRoll()
    {
        await using var host = new RiskTestHost(db.DataSource, Noon);
        await host.Get<IDailyStatsRepository>().EnsureDayAsync(Day, 1_000_000m);
        await host.Get<ISystemConfigRepository>().SetAsync(RiskSettingKeys.TradingEnabled, "false", "operator");
        await host.Get<IRiskSettingsProvider>().InvalidateAsync();

        host.Clock.SetUtcNow(RollTime);
        await RollAsync(host);
        var note = await host.Get<ISignalExecutor>().ExecuteAsync(await StoredSignalAsync(host.Clock.GetUtcNow()), Buy(0.9m, host.Clock.GetUtcNow()));

        Assert.False((await host.Get<IDailyStatsRepository>().GetAsync(NextDay))!.IsHalted);
        Assert.Equal("refused: KILL_SWITCH", note);
        Assert.Empty(host.Started);
        var refused = Assert.Single(await host.Get<IRiskEventRepository>().ListAsync(10, RiskEventType.KillSwitch));
        Assert.Equal("entry refused", refused.ActionTaken);
    }

    [Fact]
    public async Task RollDailyStats_RunTwice_SecondRunChangesNothing()
    {
        await using var host = new RiskTestHost(db.DataSource, RollTime);
        await host.Get<IDailyStatsRepository>().EnsureDayAsync(Day, 1_000_000m);

        await RollAsync(host);
        var first = await host.Get<IDailyStatsRepository>().ListAsync(2);
        host.SetHoldings(price: 90_000_000m, krwAvailable: 10m);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await RollAsync(host);
        var second = await host.Get<IDailyStatsRepository>().ListAsync(2);

        Assert.Equal(first.Select(d => (d.TradeDate, d.StartingEquityKrw, d.EndingEquityKrw)), second.Select(d => (d.TradeDate, d.StartingEquityKrw, d.EndingEquityKrw)));
        Assert.Equal(2, first.Count);
    }
    /// <summary>
    /// Issue 12 item 4: the KST date changes at 15:00 UTC, but the halted day's halt holds until RollDailyStats has
    /// closed it at 00:05 KST; the fake clock walks through KST midnight, with a BUY signal at each step.
    /// </summary>
    [Theory]
    [InlineData(15, 0, 0)]
    [InlineData(15, 4, 59)]
    public async Task HaltedDay_SignalAfterKstMidnightBeforeTheRoll_NoEntry(int hour, int minute, int second)
    {
        await using var host = new RiskTestHost(db.DataSource, Noon);
        var stats = host.Get<IDailyStatsRepository>();
        await stats.EnsureDayAsync(Day, 1_000_000m);
        await RecordRealizedLossAsync(Day, -60_000m);
        await host.Get<IDailyLossGuard>().CheckDailyLossAsync();
        Assert.True((await stats.GetAsync(Day))!.IsHalted);

        host.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, hour, minute, second, TimeSpan.Zero));
        await CollectorRanAsync(host);
        var note = await host.Get<ISignalExecutor>().ExecuteAsync(await StoredSignalAsync(host.Clock.GetUtcNow()), Buy(0.9m, host.Clock.GetUtcNow()));

        Assert.Equal(NextDay, KstClock.TradingDay(host.Clock.GetUtcNow()));
        Assert.Equal("refused: DAILY_LIMIT", note);
        Assert.Empty(host.Started);
        // One DAILY_LIMIT for the halt itself, one for the refused signal; no second halt, no second alert.
        var limits = await host.Get<IRiskEventRepository>().ListAsync(10, RiskEventType.DailyLimit);
        Assert.Equal(2, limits.Count);
        Assert.Single(limits, e => e.SignalId is not null);
        Assert.Single(host.Notifications);
    }

    [Fact]
    public async Task HaltedDay_ClockWalksThroughKstMidnightAndTheRoll_EntriesOnlyAfterTheRoll()
    {
        await using var host = new RiskTestHost(db.DataSource, new DateTimeOffset(2026, 3, 10, 14, 58, 0, TimeSpan.Zero));
        var stats = host.Get<IDailyStatsRepository>();
        await stats.EnsureDayAsync(Day, 1_000_000m);
        await RecordRealizedLossAsync(Day, -60_000m);
        await host.Get<IDailyLossGuard>().CheckDailyLossAsync();
        var executor = host.Get<ISignalExecutor>();

        var notes = new List<(string At, string Note)>();
        foreach (var step in new[] { "14:59:30", "15:00:00", "15:02:00", "15:04:59", "roll", "15:06:00" })
        {
            if (step == "roll")
            {
                host.Clock.SetUtcNow(RollTime);
                await RollAsync(host);
                continue;
            }
            var time = TimeOnly.Parse(step, System.Globalization.CultureInfo.InvariantCulture);
            host.Clock.SetUtcNow(new DateTimeOffset(new DateOnly(2026, 3, 10), time, TimeSpan.Zero));
            await CollectorRanAsync(host);
            notes.Add((step, await executor.ExecuteAsync(await StoredSignalAsync(host.Clock.GetUtcNow()), Buy(0.9m, host.Clock.GetUtcNow()))));
        }

        Assert.Equal(
            [("14:59:30", "refused: DAILY_LIMIT"), ("15:00:00", "refused: DAILY_LIMIT"), ("15:02:00", "refused: DAILY_LIMIT"),
             ("15:04:59", "refused: DAILY_LIMIT"), ("15:06:00", "order started")],
            notes);
        Assert.Single(host.Started);
    }
}
