namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// What the account holds for one market at the current price (as of <see cref="PriceAt"/>, the ticker's time);
/// equity is KRW plus the coin marked to market.
/// </summary>
public sealed record Holdings(
    string Market,
    decimal Price,
    decimal KrwAvailable,
    decimal KrwTotal,
    decimal CoinAvailable,
    decimal CoinTotal,
    DateTimeOffset? PriceAt = null)
{
    /// <summary>
    /// The fee a buy pays on top of its amount, as the exchange reports it (Upbit's <c>bid_fee</c> from orders/chance
    /// in Live mode, <c>Paper:FeeRate</c> in Paper mode); Upbit's published 0.05 % until it has been read.
    /// </summary>
    public decimal BidFeeRate { get; init; } = PositionSizing.FeeRate;

    public decimal CoinValueKrw => CoinTotal * Price;

    public decimal EquityKrw => KrwTotal + CoinValueKrw;
}
