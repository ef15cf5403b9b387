using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>Which day's daily-loss halt is in force (SPEC §5.3: until RollDailyStats has opened the next KST day).</summary>
public sealed class DailyHaltTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);
    private static readonly DateTimeOffset Rolled = new(2026, 3, 9, 15, 5, 0, TimeSpan.Zero);

    [Fact]
    public void InForce_TodayHaltedNoYesterday_TodaysHalt()
    {
        var today = Day(Today, halted: true, closedAt: null);

        Assert.Same(today, DailyHalt.InForce(today, null));
    }

    [Fact]
    public void InForce_TodayHaltedYesterdayRolledClean_TodaysHalt()
    {
        var today = Day(Today, halted: true, closedAt: null);

        Assert.Same(today, DailyHalt.InForce(today, Day(Today.AddDays(-1), halted: false, closedAt: Rolled)));
    }

    [Fact]
    public void InForce_YesterdayHaltedNotRolledTodayOpenNotHalted_YesterdaysHalt()
    {
        var yesterday = Day(Today.AddDays(-1), halted: true, closedAt: null);

        Assert.Same(yesterday, DailyHalt.InForce(Day(Today, halted: false, closedAt: null), yesterday));
    }

    [Fact]
    public void InForce_YesterdayHaltedAndRolledTodayNotHalted_None() =>
        Assert.Null(DailyHalt.InForce(Day(Today, halted: false, closedAt: null), Day(Today.AddDays(-1), halted: true, closedAt: Rolled)));

    [Fact]
    public void InForce_NoRows_None() => Assert.Null(DailyHalt.InForce(null, null));

    private static DailyStats Day(DateOnly date, bool halted, DateTimeOffset? closedAt) =>
        new(date, 1_000_000m, null, halted ? -60_000m : 0m, 1, 0, halted ? 1 : 0, halted, halted ? "daily loss 6.00 %" : null,
            closedAt, Rolled);
}
