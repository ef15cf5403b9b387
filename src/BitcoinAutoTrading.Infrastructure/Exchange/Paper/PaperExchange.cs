using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Paper;

/// <summary>
/// The default exchange (SPEC §8.3): real public prices from Upbit's quotation endpoints, no keys, and orders filled
/// at once at the current ticker with the configured fee against a ledger in PostgreSQL, so balances and orders survive
/// restarts. Same identifier idempotency and wait/done/cancel states as Upbit.
/// </summary>
internal sealed class PaperExchange(
    UpbitQuotationClient quotation,
    PaperLedgerRepository ledger,
    IOptions<PaperOptions> options,
    TimeProvider timeProvider) : IExchange
{
    public Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken = default) =>
        quotation.GetTickerAsync(market, cancellationToken);

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        quotation.GetCandlesAsync(market, interval, count, to, cancellationToken);

    public Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default) =>
        ledger.GetBalancesAsync(options.Value.InitialKrw, cancellationToken);

    public Task<OrderChance> GetOrderChanceAsync(string market, CancellationToken cancellationToken = default) =>
        Task.FromResult(new OrderChance(market, options.Value.FeeRate, options.Value.FeeRate, KrwOrderRules.MinimumOrderKrw));

    public async Task<ExchangeOrder> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ledger.FindByIdentifierAsync(request.Identifier, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }
        // The price is fetched before the transaction opens: no connection is held while waiting on the network.
        var ticker = await quotation.GetTickerAsync(request.Market, cancellationToken).ConfigureAwait(false);
        var order = KrwOrderRules.Normalize(request, ticker.TradePrice);
        var settings = options.Value;
        return await ledger.PlaceAsync(
            order, ticker.TradePrice, settings.FeeRate, settings.InitialKrw, Guid.NewGuid(), timeProvider.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<ExchangeOrder?> GetOrderByUuidAsync(string uuid, CancellationToken cancellationToken = default) =>
        Guid.TryParse(uuid, out var id) ? ledger.FindByUuidAsync(id, cancellationToken) : Task.FromResult<ExchangeOrder?>(null);

    public Task<ExchangeOrder?> GetOrderByIdentifierAsync(string identifier, CancellationToken cancellationToken = default) =>
        ledger.FindByIdentifierAsync(identifier, cancellationToken);

    public async Task<ExchangeOrder> CancelOrderAsync(string uuid, CancellationToken cancellationToken = default)
    {
        var cancelled = Guid.TryParse(uuid, out var id)
            ? await ledger.CancelAsync(id, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            : null;
        return cancelled ?? throw new ExchangeRejectedException(404, "order_not_found", $"The paper exchange has no order {uuid}.");
    }
}
