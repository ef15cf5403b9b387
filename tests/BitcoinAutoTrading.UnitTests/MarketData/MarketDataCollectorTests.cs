using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace BitcoinAutoTrading.UnitTests.MarketData;

public sealed class MarketDataCollectorTests
{
    private const string Market = "KRW-BTC";
    private static readonly DateTimeOffset Forming = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<IExchange> _exchange = new();
    private readonly Mock<IMarketDataRepository> _repository = new();
    private readonly Mock<IProtectiveExitMonitor> _exits = new();
    private readonly List<IReadOnlyList<Candle>> _upserts = [];

    public MarketDataCollectorTests()
    {
        _repository.Setup(r => r.UpsertMinutesAsync(It.IsAny<IReadOnlyList<Candle>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<Candle>, CancellationToken>((c, _) => _upserts.Add(c))
            .ReturnsAsync((IReadOnlyList<Candle> c, CancellationToken _) => c.Count);
        // The exits judge the ticker (SPEC §5.3); a test that cares about the price sets its own.
        _exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 90_000_000m, Forming.AddSeconds(40)));
    }

    [Fact]
    public async Task CollectAsync_EmptyTable_AsksForNewestPageEndingAtFormingMinute()
    {
        Serve(Forming, 200, Candles(Forming.AddMinutes(-200), 200));

        var result = await Collector().CollectAsync(Market);

        _exchange.Verify(e => e.GetCandlesAsync(Market, CandleInterval.Minute1, 200, Forming, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(200, Assert.Single(_upserts).Count);
        Assert.Equal(Forming.AddMinutes(-1), result.NewestMinute);
        Assert.True(result.CaughtUp);
    }

    [Fact]
    public async Task CollectAsync_GapWiderThanOnePage_AsksForOldestPageStartingAtLastStoredMinute()
    {
        var lastStored = Forming.AddMinutes(-501);
        Stored(lastStored);
        Serve(lastStored.AddMinutes(200), 200, Candles(lastStored, 200));

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(lastStored.AddMinutes(199), result.NewestMinute);
        Assert.False(result.CaughtUp);
        _exchange.Verify(e => e.GetCandlesAsync(It.IsAny<string>(), It.IsAny<CandleInterval>(), It.IsAny<int>(),
            It.IsAny<DateTimeOffset?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CollectAsync_ExchangeIncludesFormingMinute_OnlyClosedMinutesStored()
    {
        Stored(Forming.AddMinutes(-2));
        // An exchange that treats `to` as inclusive would hand back the minute still trading.
        Serve(Forming, 2, Candles(Forming.AddMinutes(-2), 3));

        var result = await Collector().CollectAsync(Market);

        Assert.DoesNotContain(Assert.Single(_upserts), c => c.Start >= Forming);
        Assert.Equal(Forming.AddMinutes(-1), result.NewestMinute);
    }

    [Fact]
    public async Task CollectAsync_OldPageWithoutTrades_TakesNewestPageInsteadOfStalling()
    {
        var lastStored = Forming.AddMinutes(-1_000);
        Stored(lastStored);
        Serve(lastStored.AddMinutes(200), 200, []);
        Serve(Forming, 200, Candles(Forming.AddMinutes(-200), 200));

        var result = await Collector().CollectAsync(Market);

        Assert.Equal(Forming.AddMinutes(-1), result.NewestMinute);
        Assert.Equal(200, Assert.Single(_upserts).Count);
    }

    [Fact]
    public async Task CollectAsync_ExitMonitorRegistered_ChecksTickerPriceNotNewestClose()
    {
        Stored(Forming.AddMinutes(-2));
        Serve(Forming, 2, Candles(Forming.AddMinutes(-2), 2));
        _exchange.Setup(e => e.GetTickerAsync(Market, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(Market, 91_000_000m, Forming.AddSeconds(41)));

        var result = await Collector().CollectAsync(Market);

        Assert.True(result.ExitsChecked);
        _exits.Verify(e => e.CheckAsync(Market, 91_000_000m, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CollectAsync_NothingStoredOrFetched_NoWriteAndNoExitCheck()
    {
        Serve(Forming, 200, []);

        var result = await Collector().CollectAsync(Market);

        Assert.Empty(_upserts);
        Assert.False(result.ExitsChecked);
        Assert.Null(result.NewestMinute);
        _exits.VerifyNoOtherCalls();
    }

    private MarketDataCollector Collector() => new(
        _exchange.Object, _repository.Object, _exits.Object, Options.Create(new MarketDataOptions()),
        new FakeTimeProvider(Forming.AddSeconds(42)), NullLogger<MarketDataCollector>.Instance);

    private void Stored(DateTimeOffset ts) => _repository.Setup(r => r.GetLatestAsync(Market, It.IsAny<CancellationToken>()))
        .ReturnsAsync(new MarketMinute(1, Market, ts, 1m, 1m, 1m, CloseOf(ts), 1m, 1m));

    private void Serve(DateTimeOffset to, int count, IReadOnlyList<Candle> candles) => _exchange
        .Setup(e => e.GetCandlesAsync(Market, CandleInterval.Minute1, count, to, It.IsAny<CancellationToken>()))
        .ReturnsAsync(candles);

    private static decimal CloseOf(DateTimeOffset minute) => 100_000_000m + (decimal)(minute - Forming).TotalMinutes;

    private static List<Candle> Candles(DateTimeOffset first, int count) => Enumerable.Range(0, count)
        .Select(i => first.AddMinutes(i))
        .Select(t => new Candle(Market, t, CloseOf(t), CloseOf(t), CloseOf(t), CloseOf(t), 1m, CloseOf(t)))
        .ToList();
}
