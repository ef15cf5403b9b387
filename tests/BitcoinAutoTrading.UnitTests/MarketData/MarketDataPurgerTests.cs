using BitcoinAutoTrading.Core.Market;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.MarketData;

public sealed class MarketDataPurgerTests
{
    [Theory]
    [InlineData(365)]
    [InlineData(30)]
    public async Task PurgeAsync_RetentionDays_DeletesMinutesBeforeThatManyDaysAgo(int retentionDays)
    {
        var now = new DateTimeOffset(2026, 1, 15, 18, 30, 0, TimeSpan.Zero);
        var repository = new Mock<IMarketDataRepository>();
        repository.Setup(r => r.DeleteOlderThanAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(7);
        var purger = new MarketDataPurger(
            repository.Object, Options.Create(new MarketDataOptions { RetentionDays = retentionDays }), new FakeTimeProvider(now),
            NullLogger<MarketDataPurger>.Instance);

        Assert.Equal(7, await purger.PurgeAsync());

        repository.Verify(r => r.DeleteOlderThanAsync(now.AddDays(-retentionDays), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PurgeAsync_DefaultOptions_KeepsHourlyBarsFiveYears()
    {
        var now = new DateTimeOffset(2026, 1, 15, 18, 30, 0, TimeSpan.Zero);
        var repository = new Mock<IMarketDataRepository>();
        var purger = new MarketDataPurger(
            repository.Object, Options.Create(new MarketDataOptions()), new FakeTimeProvider(now), NullLogger<MarketDataPurger>.Instance);

        await purger.PurgeAsync();

        repository.Verify(r => r.DeleteOlderThanAsync(now.AddDays(-365), It.IsAny<CancellationToken>()), Times.Once);
        repository.Verify(r => r.DeleteHourlyBarsOlderThanAsync(now.AddDays(-1826), It.IsAny<CancellationToken>()), Times.Once);
    }
}
