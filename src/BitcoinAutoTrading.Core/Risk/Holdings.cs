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
    public decimal CoinValueKrw => CoinTotal * Price;

    public decimal EquityKrw => KrwTotal + CoinValueKrw;
}
