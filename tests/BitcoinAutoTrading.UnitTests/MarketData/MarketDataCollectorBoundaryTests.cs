using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.MarketData;

/// <summary>The collector at its edges: the minute boundary, a rerun of the last stored minute, clock skew, the KST day.</summary>
public sealed class MarketDataCollectorBoundaryTests
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset Forming = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<IExchange> _exchange = new(MockBehavior.Strict);
    private readonly Mock<IMarketDataRepository> _repository = new();
    private readonly Mock<IProtectiveExitMonitor> _exits = new();

    /// <summary>The price of now: distinct from every stored or fetched close, so a check on a close cannot pass for it.</summary>
    private const decimal TickerPrice = 777m;

    public MarketDataCollectorBoundaryTests()
    {
        _repository.Setup(r => r.UpsertMinutesAsync(It.IsAny<IReadOnlyList<Candle>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<Candle> c, CancellationToken _) => c.Count);
        _exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, TickerPrice, Forming.AddSeconds(41)));
    }

    [Fact]
    public async Task CollectAsync_StoredMinuteNotClosedByOurClock_NothingFetchedExitsCheckedOnTicker()
    {
        Stored(Forming, close: 123m);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(new MarketDataCollection(0, 0, Forming, 123m, true, true), result);
        _exits.Verify(e => e.CheckAsync(Market, TickerPrice, It.IsAny<CancellationToken>()), Times.Once);
        _exits.VerifyNoOtherCalls();
        _exchange.Verify(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<CandleInterval>(), It.IsAny<int>(),
            It.IsAny<DateTimeOffset?>(), It.IsAny<CancellationToken>()), Times.Never);
        _repository.Verify(r => r.UpsertMinutesAsync(It.IsAny<IReadOnlyList<Candle>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CollectAsync_RerunOfLastStoredMinute_ItsCorrectedCloseIsReportedAndTickerChecked()
    {
        // The stored minute traded late: the page starting at it brings its new close, which the run reports; the
        // exits judge neither the old nor the corrected close but the ticker (SPEC §5.3).
        Stored(Forming.AddMinutes(-1), close: 100m);
        Serve(Forming, 1, [Candle(Forming.AddMinutes(-1), 101m)]);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(new MarketDataCollection(1, 1, Forming.AddMinutes(-1), 101m, true, true), result);
        _exits.Verify(e => e.CheckAsync(Market, TickerPrice, It.IsAny<CancellationToken>()), Times.Once);
        _exits.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task CollectAsync_ExchangeReturnsOnlyOlderMinutes_StoredMinuteStaysNewest()
    {
        Stored(Forming.AddMinutes(-2), close: 100m);
        Serve(Forming, 2, [Candle(Forming.AddMinutes(-3), 99m)]);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal((Forming.AddMinutes(-2), 100m), (result.NewestMinute, result.LastClose));
    }

    [Fact]
    public async Task CollectAsync_NewestTwoMinutesBack_NotCaughtUp()
    {
        Stored(Forming.AddMinutes(-3), close: 100m);
        Serve(Forming, 3, [Candle(Forming.AddMinutes(-3), 100m), Candle(Forming.AddMinutes(-2), 102m)]);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(Forming.AddMinutes(-2), result.NewestMinute);
        Assert.False(result.CaughtUp);
    }

    [Fact]
    public async Task CollectAsync_PageReachesFormingMinuteWithoutTrades_NoSkipToAnotherPage()
    {
        // Nothing traded since the last stored minute, but the page already ends at the forming minute: no other page exists.
        Stored(Forming.AddMinutes(-5), close: 100m);
        Serve(Forming, 5, []);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(0, result.Fetched);
        _exchange.Verify(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<CandleInterval>(), It.IsAny<int>(),
            It.IsAny<DateTimeOffset?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CollectAsync_OldPageHoldsOnlyTheStoredMinute_SkipsToNewestPage()
    {
        var lastStored = Forming.AddMinutes(-500);
        Stored(lastStored, close: 100m);
        Serve(lastStored.AddMinutes(200), 200, [Candle(lastStored, 100m)]);
        Serve(Forming, 200, [Candle(Forming.AddMinutes(-1), 105m)]);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal((Forming.AddMinutes(-1), 105m, true), (result.NewestMinute, result.LastClose, result.CaughtUp));
    }

    [Fact]
    public async Task CollectAsync_BackfillLimitFromOptions_UsedForThePage()
    {
        Serve(Forming, 50, [Candle(Forming.AddMinutes(-1), 100m)]);

        var result = await Collector(backfillLimit: 50).CollectAsync(Market);

        Assert.Equal(1, result.Fetched);
    }

    [Fact]
    public async Task CollectAsync_CandlesOutOfOrder_StoredOldestFirst()
    {
        IReadOnlyList<Candle>? stored = null;
        _repository.Setup(r => r.UpsertMinutesAsync(It.IsAny<IReadOnlyList<Candle>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<Candle> c, CancellationToken _) => stored = c)
            .ReturnsAsync(2);
        Serve(Forming, 200, [Candle(Forming.AddMinutes(-1), 101m), Candle(Forming.AddMinutes(-2), 100m)]);

        var result = await Collector().CollectAsync(Market);

        Assert.Equal([Forming.AddMinutes(-2), Forming.AddMinutes(-1)], stored!.Select(c => c.Start));
        Assert.Equal(101m, result.LastClose);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task CollectAsync_NoMarket_Throws(string market) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Collector().CollectAsync(market));

    [Fact]
    public void FloorToMinute_AnyOffsetAndLastTick_StartOfThatUtcMinute()
    {
        var kst = new DateTimeOffset(2026, 1, 15, 21, 0, 59, TimeSpan.FromHours(9)).AddTicks(9_999_999);

        Assert.Equal(Forming, UtcTime.FloorToMinute(kst));
        Assert.Equal(TimeSpan.Zero, UtcTime.FloorToMinute(kst).Offset);
        Assert.Equal(Forming, UtcTime.FloorToMinute(Forming));
    }

    [Theory]
    [InlineData("2026-03-10T14:59:59Z", "2026-03-10")]   // 23:59:59 KST
    [InlineData("2026-03-10T15:00:00Z", "2026-03-11")]   // 00:00 KST
    [InlineData("2026-03-10T00:00:00+09:00", "2026-03-10")]
    public void TradingDay_KstMidnight_IsTheBoundary(string instant, string expectedDay) =>
        Assert.Equal(DateOnly.Parse(expectedDay, System.Globalization.CultureInfo.InvariantCulture),
            KstClock.TradingDay(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void StartOfDayUtc_KstDay_Is1500UtcTheDayBefore()
    {
        var start = KstClock.StartOfDayUtc(new DateOnly(2026, 3, 10));

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    private MarketDataCollector Collector(int backfillLimit = MarketDataOptions.MaxBackfillLimit) => new(
        _exchange.Object, _repository.Object, _exits.Object, Options.Create(new MarketDataOptions { BackfillLimit = backfillLimit }),
        new FakeTimeProvider(Forming.AddSeconds(42)), NullLogger<MarketDataCollector>.Instance);

    private void Stored(DateTimeOffset ts, decimal close) => _repository.Setup(r => r.GetLatestAsync(Market, It.IsAny<CancellationToken>()))
        .ReturnsAsync(new MarketMinute(1, Market, ts, close, close, close, close, 1m, 1m));

    private void Serve(DateTimeOffset to, int count, IReadOnlyList<Candle> candles) => _exchange
        .Setup(e => e.GetCandlesAsync(Market, CandleInterval.Minute1, count, to, It.IsAny<CancellationToken>()))
        .ReturnsAsync(candles);

    private static Candle Candle(DateTimeOffset start, decimal close) => new(Market, start, close, close, close, close, 1m, close);
}
