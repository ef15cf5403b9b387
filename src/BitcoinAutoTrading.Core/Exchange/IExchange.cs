namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>
/// The one view Core has of an exchange. Upbit (live) and the paper exchange implement it;
/// wire formats and Upbit's state strings stay in Infrastructure.
/// </summary>
public interface IExchange
{
    Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>Newest first is Upbit's order; implementations return candles oldest first.</summary>
    Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to = null,
        CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default);

    Task<OrderChance> GetOrderChanceAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>
    /// Places an order carrying the client <see cref="OrderRequest.Identifier"/>. If the exchange already
    /// knows that identifier, the existing order is returned and nothing new is placed.
    /// Throws <see cref="ExchangeRejectedException"/> for a refusal that must not be retried.
    /// </summary>
    Task<ExchangeOrder> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken = default);

    /// <summary>Null when the exchange has no order with that uuid.</summary>
    Task<ExchangeOrder?> GetOrderByUuidAsync(string uuid, CancellationToken cancellationToken = default);

    /// <summary>Null when the exchange has no order with that client identifier.</summary>
    Task<ExchangeOrder?> GetOrderByIdentifierAsync(string identifier, CancellationToken cancellationToken = default);

    /// <summary>Cancels an open order; returns its state after the request (already-final orders are returned as they are).</summary>
    Task<ExchangeOrder> CancelOrderAsync(string uuid, CancellationToken cancellationToken = default);
}
