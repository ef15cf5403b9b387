using System.Diagnostics.Metrics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class CachingExchangeTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Mock<IExchange> _inner = new();
    private readonly CachingExchange _exchange;

    public CachingExchangeTests()
    {
        _services = new ServiceCollection().AddMetrics().AddHybridCache().Services.BuildServiceProvider();
        _inner.Setup(e => e.GetTickerAsync("KRW-BTC", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker("KRW-BTC", 100_000_000m, DateTimeOffset.UnixEpoch));
        _inner.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Balance("KRW", 1_000_000m, 0m, 0m)]);
        _exchange = new CachingExchange(
            _inner.Object, _services.GetRequiredService<HybridCache>(), new ExchangeCacheMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task GetTickerAndBalances_FourConcurrentAskers_OneFetchEach()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var ticker = await _exchange.GetTickerAsync("KRW-BTC");
            var balances = await _exchange.GetBalancesAsync();
            Assert.Equal(100_000_000m, ticker.TradePrice);
            Assert.Equal(1_000_000m, balances.Single().Available);
        }));

        _inner.Verify(e => e.GetTickerAsync("KRW-BTC", It.IsAny<CancellationToken>()), Times.Once);
        _inner.Verify(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PlaceOrder_EvenWhenItFails_DropsCachedBalances()
    {
        _inner.Setup(e => e.PlaceOrderAsync(It.IsAny<OrderRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ExchangeUnavailableException("lost"));
        await _exchange.GetBalancesAsync();

        await Assert.ThrowsAsync<ExchangeUnavailableException>(() =>
            _exchange.PlaceOrderAsync(new OrderRequest("KRW-BTC", OrderSide.Buy, OrderType.Price, "x", Price: 10_000m)));
        await _exchange.GetBalancesAsync();

        _inner.Verify(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CancelOrder_DropsCachedBalancesButNotTicker()
    {
        _inner.Setup(e => e.CancelOrderAsync("u", It.IsAny<CancellationToken>())).ReturnsAsync(
            new ExchangeOrder("u", "x", "KRW-BTC", OrderSide.Buy, OrderType.Limit, ExchangeOrderState.Cancelled, 1m, 1m, 0m, 0m, 0m, DateTimeOffset.UnixEpoch));
        await _exchange.GetBalancesAsync();
        await _exchange.GetTickerAsync("KRW-BTC");

        await _exchange.CancelOrderAsync("u");
        await _exchange.GetBalancesAsync();
        await _exchange.GetTickerAsync("KRW-BTC");

        _inner.Verify(e => e.GetBalancesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        _inner.Verify(e => e.GetTickerAsync("KRW-BTC", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetCandles_SameQueryTwice_FetchedOnceButOtherIntervalFetched()
    {
        _inner.Setup(e => e.GetCandlesAsync("KRW-BTC", It.IsAny<CandleInterval>(), 200, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Candle("KRW-BTC", DateTimeOffset.UnixEpoch, 1m, 2m, 1m, 2m, 3m, 4m)]);

        await _exchange.GetCandlesAsync("KRW-BTC", CandleInterval.Hour1, 200);
        var again = await _exchange.GetCandlesAsync("KRW-BTC", CandleInterval.Hour1, 200);
        await _exchange.GetCandlesAsync("KRW-BTC", CandleInterval.Day, 200);

        Assert.Equal(2m, again.Single().Close);
        _inner.Verify(e => e.GetCandlesAsync("KRW-BTC", CandleInterval.Hour1, 200, null, It.IsAny<CancellationToken>()), Times.Once);
        _inner.Verify(e => e.GetCandlesAsync("KRW-BTC", CandleInterval.Day, 200, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void CandleTtl_LongerPeriods_CachedLonger()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), CachingExchange.CandleTtl(CandleInterval.Hour1));
        Assert.Equal(TimeSpan.FromMinutes(5), CachingExchange.CandleTtl(CandleInterval.Day));
        Assert.True(CachingExchange.CandleTtl(CandleInterval.Minute1) < CachingExchange.CandleTtl(CandleInterval.Hour4));
    }
}
