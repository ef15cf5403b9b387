using System.Diagnostics.Metrics;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

/// <summary>SPEC §12 P2: exchange calls per signal cycle for ticker and balances, with the cache on and off.</summary>
public sealed class ExchangeCacheCallCountTests(ITestOutputHelper output) : IDisposable
{
    private const string Market = "KRW-BTC";
    private const int Components = 4;
    private readonly UpbitFake _upbit = UpbitFake.Start();

    public void Dispose() => _upbit.Dispose();

    [Fact]
    public async Task SignalCycle_FourComponentsAskTickerAndBalances_CacheCutsCallsToOneEach()
    {
        _upbit.SetTicker(Market, 100_000_000m);
        _upbit.SetBalance("KRW", 1_000_000m);
        using var host = ExchangeTestHost.Build(_upbit);

        var uncached = await RunCycleAsync(host.Services.GetRequiredService<UpbitExchange>());
        var cached = await RunCycleAsync(host.Services.GetRequiredService<IExchange>());

        var uncachedTotal = uncached.Ticker + uncached.Balances;
        var cachedTotal = cached.Ticker + cached.Balances;
        var reduction = 100.0 * (uncachedTotal - cachedTotal) / uncachedTotal;
        output.WriteLine($"P2 ({Components} components, concurrent): without cache ticker {uncached.Ticker} + balances {uncached.Balances} = {uncachedTotal} calls; " +
            $"with cache ticker {cached.Ticker} + balances {cached.Balances} = {cachedTotal} calls; reduction {reduction:0.#} %");
        Assert.Equal(Components, uncached.Ticker);
        Assert.Equal(Components, uncached.Balances);
        Assert.Equal(1, cached.Ticker);
        Assert.Equal(1, cached.Balances);
        Assert.True(reduction >= 60);
    }

    [Fact]
    public async Task SequentialAsks_WithinTtl_ServedFromCacheAndCounted()
    {
        _upbit.SetTicker(Market, 100_000_000m);
        _upbit.SetBalance("KRW", 1_000_000m);
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<IExchange>();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Cache, string Result)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Scope pins the meter to this host, so other test classes running in parallel do not count here.
            if (instrument.Meter.Name == ExchangeCacheMetrics.MeterName && instrument.Name == ExchangeCacheMetrics.RequestsCounterName
                && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var tagList = tags.ToArray();
            lock (measurements)
            {
                measurements.Add(((string)tagList.Single(t => t.Key == "cache").Value!, (string)tagList.Single(t => t.Key == "result").Value!));
            }
        });
        listener.Start();

        for (var component = 0; component < Components; component++)
        {
            await exchange.GetTickerAsync(Market);
            await exchange.GetBalancesAsync();
        }

        output.WriteLine($"P2 ({Components} components, sequential): ticker calls {_upbit.RequestCount(UpbitEndpoint.Ticker)}, " +
            $"balance calls {_upbit.RequestCount(UpbitEndpoint.Accounts)} (without cache: {Components} each)");
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.Ticker));
        Assert.Equal(1, _upbit.RequestCount(UpbitEndpoint.Accounts));
        Assert.Equal(Components - 1, measurements.Count(m => m is ("ticker", "hit")));
        Assert.Equal(1, measurements.Count(m => m is ("ticker", "miss")));
        Assert.Equal(1, measurements.Count(m => m is ("balances", "miss")));
    }

    [Fact]
    public async Task PlaceOrder_ThroughCache_NextBalancesComeFromExchange()
    {
        _upbit.SetTicker(Market, 100_000_000m);
        _upbit.SetBalance("KRW", 1_000_000m);
        using var host = ExchangeTestHost.Build(_upbit);
        var exchange = host.Services.GetRequiredService<IExchange>();

        var before = await exchange.GetBalancesAsync();
        await exchange.PlaceOrderAsync(new OrderRequest(Market, OrderSide.Buy, OrderType.Price, "cache-buy", Price: 100_000m));
        var after = await exchange.GetBalancesAsync();

        Assert.Equal(1_000_000m, before.Single(b => b.Currency == "KRW").Available);
        Assert.Equal(899_950m, after.Single(b => b.Currency == "KRW").Available);
        Assert.Equal(2, _upbit.RequestCount(UpbitEndpoint.Accounts));
    }

    private async Task<(int Ticker, int Balances)> RunCycleAsync(IExchange exchange)
    {
        var tickerBefore = _upbit.RequestCount(UpbitEndpoint.Ticker);
        var balancesBefore = _upbit.RequestCount(UpbitEndpoint.Accounts);
        // Signal pipeline, risk check, position sizing and the order step each want the price and the balances.
        await Task.WhenAll(Enumerable.Range(0, Components).Select(async _ =>
        {
            await exchange.GetTickerAsync(Market);
            await exchange.GetBalancesAsync();
        }));
        return (_upbit.RequestCount(UpbitEndpoint.Ticker) - tickerBefore, _upbit.RequestCount(UpbitEndpoint.Accounts) - balancesBefore);
    }
}
