using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>Issue 12 items 4 and 7: the halt holds until the roll, and only the call that sets it records and notifies.</summary>
public sealed class DailyLossGuardTests
{
    private readonly RiskHarness _h = new();

    private void SetYesterday(bool halted, bool closed) =>
        _h.DailyStats.Setup(d => d.GetAsync(Today.AddDays(-1), It.IsAny<CancellationToken>())).ReturnsAsync(new DailyStats(
            Today.AddDays(-1), 1_000_000m, null, -60_000m, 1, 0, 1, halted, halted ? "daily loss" : null,
            closed ? Now.AddHours(-12) : null, Now));

    [Fact]
    public async Task CheckDailyLossAsync_YesterdayHaltedNotYetRolledTodayWithoutRow_Halted()
    {
        SetYesterday(halted: true, closed: false);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.True(status.IsHalted);
        Assert.Equal(6m, status.LossPct);
        Assert.Empty(_h.StoredEvents);
        Assert.Empty(_h.Notifications);
    }

    [Fact]
    public async Task CheckDailyLossAsync_YesterdayHaltedNotRolledButAFillOpenedToday_StillHalted()
    {
        SetYesterday(halted: true, closed: false);
        _h.SetDay(startingEquity: 940_000m, realizedPnl: 0m);

        Assert.True((await _h.Guard().CheckDailyLossAsync()).IsHalted);
    }

    [Fact]
    public async Task CheckDailyLossAsync_YesterdayHaltedAndRolled_NotHalted()
    {
        SetYesterday(halted: true, closed: true);
        _h.SetDay(startingEquity: 940_000m, realizedPnl: 0m);

        Assert.False((await _h.Guard().CheckDailyLossAsync()).IsHalted);
    }

    [Fact]
    public async Task CheckDailyLossAsync_AnotherInstanceHaltedFirst_NoEventNoNotification()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -60_000m);
        // The conditional update matched no row: the other instance's update won the race.
        _h.DailyStats.Setup(d => d.SetHaltAsync(Today, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.True(status.IsHalted);
        Assert.Empty(_h.StoredEvents);
        Assert.Empty(_h.Notifications);
    }
}
