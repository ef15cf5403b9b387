namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>What a market order fills: the volume, the KRW it moved and the fee, each to the exchange's 8 decimals.</summary>
public sealed record MarketOrderFill(decimal Volume, decimal FundsKrw, decimal FeeKrw);

/// <summary>
/// Upbit's market-order arithmetic at one price, shared by the paper exchange and the backtester so both fill alike:
/// a market buy spends whole KRW and receives that divided by the price, truncated to 8 places (the remainder stays
/// in the balance); funds and fee are rounded to 8 places; the buy's fee is paid on top, the sell's out of proceeds.
/// </summary>
public static class MarketOrderPricing
{
    public static decimal Round8(decimal value) => Math.Round(value, KrwOrderRules.VolumeDecimals, MidpointRounding.AwayFromZero);

    public static decimal Floor8(decimal value) => Math.Floor(value * 100_000_000m) / 100_000_000m;

    public static MarketOrderFill Buy(decimal krw, decimal price, decimal feeRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        return AtVolume(Floor8(krw / price), price, feeRate);
    }

    public static MarketOrderFill Sell(decimal volume, decimal price, decimal feeRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        return AtVolume(volume, price, feeRate);
    }

    /// <summary>Funds and fee of a known volume at the price.</summary>
    public static MarketOrderFill AtVolume(decimal volume, decimal price, decimal feeRate)
    {
        var funds = Round8(volume * price);
        return new MarketOrderFill(volume, funds, Round8(funds * feeRate));
    }
}
