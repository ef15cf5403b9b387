using System.Text.Json;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

/// <summary>The daily loss limit at its exact threshold (default 5 % of the KST day's starting equity).</summary>
public sealed class DailyLossGuardBoundaryTests
{
    private readonly RiskHarness _h = new();

    [Fact]
    public async Task CheckDailyLossAsync_LossOf4Point9Percent_KeepsTradingAndRecordsNothing()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -49_000m);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(false, 4.9m, 5m), status);
        _h.DailyStats.Verify(d => d.SetHaltAsync(It.IsAny<DateOnly>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.StoredEvents);
        Assert.Empty(_h.Notifications);
    }

    [Fact]
    public async Task CheckDailyLossAsync_LossOfExactly5Percent_HaltsRecordsAndNotifiesOnce()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -50_000m);
        var severities = new List<NotificationSeverity>();
        _h.Notifier.Setup(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<NotificationSeverity>(), It.IsAny<CancellationToken>()))
            .Callback((string _, NotificationSeverity s, CancellationToken _) => severities.Add(s))
            .Returns(Task.CompletedTask);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(true, 5m, 5m), status);
        const string reason = "daily realized loss 5% reached the limit of 5%";
        _h.DailyStats.Verify(d => d.SetHaltAsync(Today, reason, It.IsAny<CancellationToken>()), Times.Once);
        var stored = Assert.Single(_h.StoredEvents);
        Assert.Equal((RiskEventType.DailyLimit, 5m, 5m, "trading halted for the KST day"),
            (stored.Type, stored.TriggerValue, stored.ThresholdValue, stored.ActionTaken));
        using var details = JsonDocument.Parse(stored.DetailsJson!);
        Assert.Equal("2026-03-10", details.RootElement.GetProperty("tradeDate").GetString());
        Assert.Equal(-50_000m, details.RootElement.GetProperty("realizedPnlKrw").GetDecimal());
        Assert.Equal(1_000_000m, details.RootElement.GetProperty("startingEquityKrw").GetDecimal());
        Assert.Equal([NotificationSeverity.Critical], severities);
    }

    [Fact]
    public async Task CheckDailyLossAsync_ReasonShowsLossToTwoDecimals()
    {
        _h.SetDay(startingEquity: 3_000_000m, realizedPnl: -160_000m);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.True(status.IsHalted);
        _h.DailyStats.Verify(d => d.SetHaltAsync(Today, "daily realized loss 5.33% reached the limit of 5%", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(
            "Trading halted until 00:05 KST: daily realized loss 5.33% reached the limit of 5%. Protective exits keep running.",
            Assert.Single(_h.Notifications));
    }

    [Fact]
    public async Task CheckDailyLossAsync_LimitFromSettings_Used()
    {
        _h.CurrentSettings = new RiskSettings { DailyLossLimitPct = 2m };
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -20_000m);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(true, 2m, 2m), status);
    }

    [Fact]
    public async Task CheckDailyLossAsync_DayStartedAtZeroEquity_NoDivisionByZeroAndNoHalt()
    {
        _h.SetDay(startingEquity: 0m, realizedPnl: -10_000m);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(false, 0m, 5m), status);
        Assert.Empty(_h.StoredEvents);
    }

    [Fact]
    public async Task CheckDailyLossAsync_DayAlreadyHalted_HaltedWithoutSecondEventOrNotification()
    {
        _h.SetDay(startingEquity: 1_000_000m, realizedPnl: -70_000m, halted: true);

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(true, 7m, 5m), status);
        _h.DailyStats.Verify(d => d.SetHaltAsync(It.IsAny<DateOnly>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.StoredEvents);
        Assert.Empty(_h.Notifications);
    }

    [Fact]
    public async Task CheckDailyLossAsync_NoRowForToday_NotHaltedWithLimitInForce()
    {
        _h.CurrentSettings = new RiskSettings { DailyLossLimitPct = 3m };

        var status = await _h.Guard().CheckDailyLossAsync();

        Assert.Equal(new DailyLossStatus(false, 0m, 3m), status);
        // Today by the KST clock: 12:00 KST on 2026-03-10.
        _h.DailyStats.Verify(d => d.GetAsync(Today, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(1_000_000, -50_000, 5)]
    [InlineData(1_000_000, 50_000, 0)]
    [InlineData(1_000_000, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(-100, -1, 0)]
    [InlineData(400_000, -1, 0.00025)]
    public void LossPct_RealizedAgainstStartingEquity_PercentOfLossOnly(int startingEquity, int realized, double expected) =>
        Assert.Equal((decimal)expected, DailyLossGuard.LossPct(Day(startingEquity, realized)));

    [Fact]
    public void LossPct_NullStats_Throws() =>
        Assert.Throws<ArgumentNullException>(() => DailyLossGuard.LossPct(null!));

    private static DailyStats Day(decimal startingEquity, decimal realized) =>
        new(Today, startingEquity, null, realized, 1, 0, 1, false, null, null, Now);
}
