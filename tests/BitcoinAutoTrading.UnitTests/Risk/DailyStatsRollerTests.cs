using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static BitcoinAutoTrading.UnitTests.Risk.RiskHarness;

namespace BitcoinAutoTrading.UnitTests.Risk;

public sealed class DailyStatsRollerTests
{
    [Fact]
    public async Task RollAsync_At0005Kst_ClosesYesterdayAndOpensTodayWithCurrentEquity()
    {
        var h = new RiskHarness();
        // 15:05 UTC on 10 March is 00:05 KST on 11 March.
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 15, 5, 0, TimeSpan.Zero));
        h.SetHoldings(price: 100_000_000m, krwAvailable: 700_000m, krwLocked: 100_000m, btcAvailable: 0.002m);
        var today = new DateOnly(2026, 3, 11);
        h.DailyStats.Setup(d => d.CloseDayAsync(Today, 1_000_000m, h.Clock.GetUtcNow(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        h.DailyStats.Setup(d => d.EnsureDayAsync(today, 1_000_000m, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DailyStats(today, 1_000_000m, null, 0m, 0, 0, 0, false, null, null, h.Clock.GetUtcNow()));
        var roller = new DailyStatsRoller(h.DailyStats.Object, h.Valuation(), h.Clock, NullLogger<DailyStatsRoller>.Instance);

        var roll = await roller.RollAsync(Market);

        Assert.Equal(Today, roll.ClosedDay);
        Assert.True(roll.Closed);
        Assert.Equal(today, roll.Today.TradeDate);
        Assert.False(roll.Today.IsHalted);
        h.DailyStats.Verify(d => d.CloseDayAsync(Today, 1_000_000m, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        h.DailyStats.Verify(d => d.EnsureDayAsync(today, 1_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }
}
