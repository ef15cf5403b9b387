using System.Collections.Concurrent;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// An in-process exchange for the harness: counts ticker and balance calls (P2), and fills a market order only once
/// <see cref="FillAfter"/> has passed since it was placed (P1, P10), as a slow Upbit fill would.
/// </summary>
internal sealed class CountingExchange(TimeSpan fillAfter) : IExchange
{
    private const decimal Price = 150_000_000m;
    private const decimal FeeRate = 0.0005m;
    private readonly ConcurrentDictionary<string, (OrderRequest Request, string Uuid, DateTimeOffset PlacedAt)> _orders = new();
    private int _tickerCalls;
    private int _balanceCalls;

    public TimeSpan FillAfter { get; } = fillAfter;

    public int TickerCalls => Volatile.Read(ref _tickerCalls);

    public int BalanceCalls => Volatile.Read(ref _balanceCalls);

    public async Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _tickerCalls);
        // A network round trip, so concurrent askers really overlap.
        await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        return new Ticker(market, Price, DateTimeOffset.UtcNow);
    }

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Candle>>(BenchData.Minutes(to ?? DateTimeOffset.UtcNow, count, market: market));

    public async Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _balanceCalls);
        await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        return [new Balance("KRW", 1_000_000m, 0m, 0m), new Balance("BTC", 0.01m, 0m, Price)];
    }

    public Task<OrderChance> GetOrderChanceAsync(string market, CancellationToken cancellationToken = default) =>
        Task.FromResult(new OrderChance(market, FeeRate, FeeRate, 5_000m));

    public Task<ExchangeOrder> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var placed = _orders.GetOrAdd(request.Identifier, _ => (request, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow));
        return Task.FromResult(View(placed));
    }

    public Task<ExchangeOrder?> GetOrderByUuidAsync(string uuid, CancellationToken cancellationToken = default) =>
        Task.FromResult(_orders.Values.Where(o => o.Uuid == uuid).Select(View).FirstOrDefault());

    public Task<ExchangeOrder?> GetOrderByIdentifierAsync(string identifier, CancellationToken cancellationToken = default) =>
        Task.FromResult(_orders.TryGetValue(identifier, out var placed) ? View(placed) : null);

    public Task<ExchangeOrder> CancelOrderAsync(string uuid, CancellationToken cancellationToken = default) =>
        Task.FromResult(_orders.Values.Where(o => o.Uuid == uuid).Select(View).First());

    private ExchangeOrder View((OrderRequest Request, string Uuid, DateTimeOffset PlacedAt) placed)
    {
        var (request, uuid, placedAt) = placed;
        var filled = DateTimeOffset.UtcNow - placedAt >= FillAfter;
        var funds = request.Side == OrderSide.Buy ? request.Price ?? 0m : Math.Round((request.Volume ?? 0m) * Price, 8);
        var volume = request.Side == OrderSide.Buy ? Math.Round(funds / Price, 8) : request.Volume ?? 0m;
        return new ExchangeOrder(
            uuid, request.Identifier, request.Market, request.Side, request.Type,
            filled ? ExchangeOrderState.Done : ExchangeOrderState.Open, request.Price, request.Volume,
            filled ? volume : 0m, filled ? funds : 0m, filled ? Math.Round(funds * FeeRate, 8) : 0m, placedAt);
    }
}
