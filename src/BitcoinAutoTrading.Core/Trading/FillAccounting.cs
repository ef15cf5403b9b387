using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>What a fill does to a position, and the profit it realizes (zero for a buy).</summary>
public sealed record FillEffect(Position Position, decimal RealizedPnlKrw)
{
    /// <summary>A sell closes a trade: its sign makes it a win or a loss for the day. Buys open or add.</summary>
    public bool ClosesTrade { get; init; }
}

/// <summary>
/// Position accounting for one order's fill, fees included in cost:
/// a buy raises the quantity and moves the average entry to (old cost + funds + fee) / new quantity, so the average
/// is the true break-even price; a sell realizes (funds − fee) − average entry × volume and leaves the average as it is.
/// Amounts are rounded to the 8 decimals the schema stores.
/// </summary>
public static class FillAccounting
{
    public const int Scale = 8;

    public static FillEffect Apply(Position? current, Order order, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.ExecutedVolume <= 0)
        {
            throw new ArgumentException($"Order {order.Id} has no fill to apply.", nameof(order));
        }

        var quantity = current?.Quantity ?? 0m;
        var average = current?.AvgEntryPrice ?? 0m;
        var realizedTotal = current?.RealizedPnlKrw ?? 0m;
        return order.Side == OrderSide.Buy
            ? Buy(order, quantity, average, realizedTotal, current, at)
            : Sell(order, quantity, average, realizedTotal, current, at);
    }

    private static FillEffect Buy(Order order, decimal quantity, decimal average, decimal realizedTotal, Position? current, DateTimeOffset at)
    {
        var volume = order.ExecutedVolume;
        var newQuantity = quantity + volume;
        var newAverage = Math.Round(((quantity * average) + order.ExecutedFundsKrw + order.PaidFee) / newQuantity, Scale);
        var fillPrice = order.AvgPrice ?? Math.Round(order.ExecutedFundsKrw / volume, Scale);
        var openedAt = quantity > 0 ? current?.OpenedAt ?? at : at;
        // A new entry restarts the trailing stop's measurement from the price just paid.
        var position = new Position(order.Market, newQuantity, newAverage, realizedTotal, fillPrice, openedAt, at);
        return new FillEffect(position, 0m);
    }

    private static FillEffect Sell(Order order, decimal quantity, decimal average, decimal realizedTotal, Position? current, DateTimeOffset at)
    {
        var volume = order.ExecutedVolume;
        // Only what the position holds has a known cost; anything sold beyond it (bought outside the app) realizes nothing here.
        var matched = Math.Min(volume, quantity);
        var netProceeds = order.ExecutedFundsKrw - order.PaidFee;
        var realized = matched == 0 ? 0m : Math.Round((netProceeds * matched / volume) - (average * matched), Scale);
        var remaining = quantity - matched;
        var position = remaining > 0
            ? new Position(order.Market, remaining, average, realizedTotal + realized, current?.PeakPriceSinceEntry, current?.OpenedAt, at)
            : new Position(order.Market, 0m, 0m, realizedTotal + realized, null, null, at);
        return new FillEffect(position, realized) { ClosesTrade = true };
    }
}
