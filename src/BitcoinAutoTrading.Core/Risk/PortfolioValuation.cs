using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Reads balances and the ticker from the exchange (cached there for a few seconds, SPEC P2) and values the account
/// for one market. Locked amounts count towards equity: they are still ours, only reserved by an open order.
/// </summary>
public sealed class PortfolioValuation(IExchange exchange)
{
    public async Task<Holdings> ReadAsync(string market, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        var separator = market.IndexOf('-', StringComparison.Ordinal);
        if (separator <= 0 || separator == market.Length - 1)
        {
            throw new ArgumentException($"Market '{market}' is not of the form QUOTE-BASE (e.g. KRW-BTC).", nameof(market));
        }
        var quote = market[..separator];
        var coin = market[(separator + 1)..];

        var ticker = await exchange.GetTickerAsync(market, cancellationToken).ConfigureAwait(false);
        var balances = await exchange.GetBalancesAsync(cancellationToken).ConfigureAwait(false);
        var krw = balances.FirstOrDefault(b => string.Equals(b.Currency, quote, StringComparison.OrdinalIgnoreCase));
        var held = balances.FirstOrDefault(b => string.Equals(b.Currency, coin, StringComparison.OrdinalIgnoreCase));
        return new Holdings(
            market,
            ticker.TradePrice,
            krw?.Available ?? 0m,
            krw?.Total ?? 0m,
            held?.Available ?? 0m,
            held?.Total ?? 0m,
            ticker.Timestamp);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> plus the exchange's own buy fee (Upbit's orders/chance <c>bid_fee</c>, cached there), so
    /// sizing and the fee reserve use what the account really pays rather than a constant.
    /// </summary>
    public async Task<Holdings> ReadForBuyAsync(string market, CancellationToken cancellationToken = default)
    {
        var holdings = await ReadAsync(market, cancellationToken).ConfigureAwait(false);
        var chance = await exchange.GetOrderChanceAsync(market, cancellationToken).ConfigureAwait(false);
        return holdings with { BidFeeRate = chance.BidFee };
    }
}
