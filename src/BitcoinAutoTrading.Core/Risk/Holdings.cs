namespace BitcoinAutoTrading.Core.Risk;

/// <summary>What the account holds for one market at the current price; equity is KRW plus the coin marked to market.</summary>
public sealed record Holdings(
    string Market,
    decimal Price,
    decimal KrwAvailable,
    decimal KrwTotal,
    decimal CoinAvailable,
    decimal CoinTotal)
{
    public decimal CoinValueKrw => CoinTotal * Price;

    public decimal EquityKrw => KrwTotal + CoinValueKrw;
}
