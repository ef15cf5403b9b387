using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Paper;

/// <summary>What one paper order does to the ledger. Every amount is rounded to the ledger's 8 decimal places here,
/// so the database stores exactly what was computed.</summary>
internal sealed record PaperFill(
    ExchangeOrderState State,
    decimal ExecutedVolume,
    decimal ExecutedFunds,
    decimal PaidFee,
    decimal Reserved,
    decimal QuoteAvailableDelta,
    decimal QuoteLockedDelta,
    decimal BaseAvailableDelta,
    decimal BaseLockedDelta)
{
    /// <summary>
    /// Fills at <paramref name="tradePrice"/> with Upbit's semantics. A market buy (<c>price</c>) spends the named KRW
    /// and the fee is charged on top from the KRW balance, so it needs KRW × (1 + fee) available; the volume is the KRW
    /// divided by the price, truncated to 8 places, and the sub-unit remainder stays in the balance. A market sell
    /// (<c>market</c>) credits proceeds minus the fee. A limit order fills at the ticker when marketable; otherwise it
    /// rests (<c>wait</c>) with its KRW (plus fee) or coin locked until cancelled.
    /// </summary>
    public static PaperFill Compute(OrderRequest order, decimal tradePrice, decimal feeRate, decimal quoteAvailable, decimal baseAvailable)
    {
        ArgumentNullException.ThrowIfNull(order);
        return (order.Type, order.Side) switch
        {
            (OrderType.Price, OrderSide.Buy) => Buy(order.Price!.Value, tradePrice, feeRate, quoteAvailable),
            (OrderType.Market, OrderSide.Sell) => Sell(order.Volume!.Value, tradePrice, feeRate, baseAvailable),
            (OrderType.Limit, OrderSide.Buy) => LimitBuy(order.Price!.Value, order.Volume!.Value, tradePrice, feeRate, quoteAvailable),
            (OrderType.Limit, OrderSide.Sell) => LimitSell(order.Price!.Value, order.Volume!.Value, tradePrice, feeRate, baseAvailable),
            _ => throw new OrderValidationException($"A {order.Type} order cannot {order.Side}."),
        };
    }

    public static decimal Round8(decimal value) => MarketOrderPricing.Round8(value);

    public static decimal Floor8(decimal value) => MarketOrderPricing.Floor8(value);

    private static PaperFill Buy(decimal krw, decimal tradePrice, decimal feeRate, decimal quoteAvailable)
    {
        EnsureFunds(krw + Round8(krw * feeRate), quoteAvailable, "insufficient_funds_bid", "KRW");
        var volume = MarketOrderPricing.Buy(krw, tradePrice, feeRate).Volume;
        return BuyFilled(volume, tradePrice, feeRate);
    }

    private static PaperFill Sell(decimal volume, decimal tradePrice, decimal feeRate, decimal baseAvailable)
    {
        EnsureFunds(volume, baseAvailable, "insufficient_funds_ask", "coin");
        return SellFilled(volume, tradePrice, feeRate);
    }

    private static PaperFill LimitBuy(decimal price, decimal volume, decimal tradePrice, decimal feeRate, decimal quoteAvailable)
    {
        var cost = Round8(price * volume);
        var reserve = cost + Round8(cost * feeRate);
        EnsureFunds(reserve, quoteAvailable, "insufficient_funds_bid", "KRW");
        return tradePrice <= price
            ? BuyFilled(volume, tradePrice, feeRate)
            : new PaperFill(ExchangeOrderState.Open, 0m, 0m, 0m, reserve, -reserve, reserve, 0m, 0m);
    }

    private static PaperFill LimitSell(decimal price, decimal volume, decimal tradePrice, decimal feeRate, decimal baseAvailable)
    {
        EnsureFunds(volume, baseAvailable, "insufficient_funds_ask", "coin");
        return tradePrice >= price
            ? SellFilled(volume, tradePrice, feeRate)
            : new PaperFill(ExchangeOrderState.Open, 0m, 0m, 0m, volume, 0m, 0m, -volume, volume);
    }

    // The arithmetic is Core's (MarketOrderPricing), so the backtester fills exactly as paper trading does.
    private static PaperFill BuyFilled(decimal volume, decimal tradePrice, decimal feeRate)
    {
        var (_, funds, fee) = MarketOrderPricing.AtVolume(volume, tradePrice, feeRate);
        return new PaperFill(ExchangeOrderState.Done, volume, funds, fee, 0m, -(funds + fee), 0m, volume, 0m);
    }

    private static PaperFill SellFilled(decimal volume, decimal tradePrice, decimal feeRate)
    {
        var (_, funds, fee) = MarketOrderPricing.AtVolume(volume, tradePrice, feeRate);
        return new PaperFill(ExchangeOrderState.Done, volume, funds, fee, 0m, funds - fee, 0m, -volume, 0m);
    }

    private static void EnsureFunds(decimal needed, decimal available, string errorName, string what)
    {
        if (needed > available)
        {
            throw new ExchangeRejectedException(400, errorName,
                $"Paper account has {available:0.########} {what} available; the order needs {needed:0.########}.");
        }
    }
}
