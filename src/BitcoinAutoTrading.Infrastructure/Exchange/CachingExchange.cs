using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Caching.Hybrid;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

/// <summary>
/// Puts a short-lived cache in front of any exchange so one signal cycle fetches the ticker and the balances at most
/// once however many components ask (SPEC §8.1, P2). HybridCache also joins concurrent misses into one fetch.
/// Placing or cancelling an order drops the cached balances, since both change them.
/// </summary>
internal sealed class CachingExchange(IExchange inner, HybridCache cache, ExchangeCacheMetrics metrics) : IExchange
{
    public static readonly TimeSpan TickerTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BalancesTtl = TimeSpan.FromSeconds(10);

    /// <summary>Fees and minimums change rarely (a fee tier, a notice from Upbit); one read per 10 minutes is plenty.</summary>
    public static readonly TimeSpan OrderChanceTtl = TimeSpan.FromMinutes(10);
    private const string BalancesKey = "exchange:balances";

    public Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken = default) =>
        GetOrFetchAsync("ticker", $"exchange:ticker:{market}", TickerTtl,
            ct => inner.GetTickerAsync(market, ct), cancellationToken);

    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"exchange:candles:{market}:{interval}:{count}:{to?.UtcTicks}");
        return await GetOrFetchAsync("candles", key, CandleTtl(interval),
            async ct => (await inner.GetCandlesAsync(market, interval, count, to, ct).ConfigureAwait(false)).ToArray(),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default) =>
        await GetOrFetchAsync("balances", BalancesKey, BalancesTtl,
            async ct => (await inner.GetBalancesAsync(ct).ConfigureAwait(false)).ToArray(),
            cancellationToken).ConfigureAwait(false);

    public Task<OrderChance> GetOrderChanceAsync(string market, CancellationToken cancellationToken = default) =>
        GetOrFetchAsync("order_chance", $"exchange:chance:{market}", OrderChanceTtl,
            ct => inner.GetOrderChanceAsync(market, ct), cancellationToken);

    public async Task<ExchangeOrder> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.PlaceOrderAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure: the order may have been accepted even though the answer was lost.
            await cache.RemoveAsync(BalancesKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public Task<ExchangeOrder?> GetOrderByUuidAsync(string uuid, CancellationToken cancellationToken = default) =>
        inner.GetOrderByUuidAsync(uuid, cancellationToken);

    public Task<ExchangeOrder?> GetOrderByIdentifierAsync(string identifier, CancellationToken cancellationToken = default) =>
        inner.GetOrderByIdentifierAsync(identifier, cancellationToken);

    public async Task<ExchangeOrder> CancelOrderAsync(string uuid, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.CancelOrderAsync(uuid, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await cache.RemoveAsync(BalancesKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A fraction of the candle's period: fresh enough for analysis, and repeated asks in one run are free.</summary>
    internal static TimeSpan CandleTtl(CandleInterval interval) => interval switch
    {
        CandleInterval.Minute1 => TimeSpan.FromSeconds(10),
        CandleInterval.Minute5 => TimeSpan.FromSeconds(15),
        CandleInterval.Minute15 => TimeSpan.FromSeconds(30),
        CandleInterval.Hour1 => TimeSpan.FromSeconds(60),
        CandleInterval.Hour4 => TimeSpan.FromMinutes(2),
        CandleInterval.Day => TimeSpan.FromMinutes(5),
        CandleInterval.Week => TimeSpan.FromMinutes(15),
        _ => TimeSpan.FromSeconds(10),
    };

    private async Task<T> GetOrFetchAsync<T>(
        string cacheName, string key, TimeSpan ttl, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        var fetched = false;
        var entryOptions = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
        var value = await cache.GetOrCreateAsync(
            key,
            async ct =>
            {
                fetched = true;
                return await fetch(ct).ConfigureAwait(false);
            },
            entryOptions,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        metrics.Record(cacheName, hit: !fetched);
        return value;
    }
}
