namespace BitcoinAutoTrading.Core.Exchange;

public sealed record Ticker(string Market, decimal TradePrice, DateTimeOffset Timestamp);

/// <summary>One OHLCV bar; <see cref="Start"/> is the bar's opening time in UTC.</summary>
public sealed record Candle(
    string Market, DateTimeOffset Start, decimal Open, decimal High, decimal Low, decimal Close,
    decimal Volume, decimal ValueKrw);

public enum CandleInterval
{
    Minute1 = 1,
    Minute5 = 5,
    Minute15 = 15,
    Hour1 = 60,
    Hour4 = 240,
    Day = 1440,
    Week = 10080,
}

public sealed record Balance(string Currency, decimal Available, decimal Locked, decimal AvgBuyPrice)
{
    public decimal Total => Available + Locked;
}

/// <summary>What the exchange allows for a market: fees and minimum order value.</summary>
public sealed record OrderChance(string Market, decimal BidFee, decimal AskFee, decimal MinTotalKrw);

public enum OrderSide
{
    Buy = 1,
    Sell = 2,
}

/// <summary>Price = market buy by KRW amount; Market = market sell by volume; Limit = price and volume.</summary>
public enum OrderType
{
    Price = 1,
    Market = 2,
    Limit = 3,
}

public sealed record OrderRequest(
    string Market, OrderSide Side, OrderType Type, string Identifier,
    decimal? Volume = null, decimal? Price = null);

/// <summary>The exchange's view of an order's life, independent of any exchange's wire strings.</summary>
public enum ExchangeOrderState
{
    /// <summary>Accepted and still working (Upbit wait/watch).</summary>
    Open = 1,
    /// <summary>Completely filled (Upbit done).</summary>
    Done = 2,
    /// <summary>Cancelled, possibly after a partial fill (Upbit cancel).</summary>
    Cancelled = 3,
    /// <summary>
    /// An ending the adapter does not know (e.g. Upbit <c>prevented</c>, self-match prevention): final, with whatever
    /// executed, so an unforeseen state can never leave an order polled forever or crash a step.
    /// </summary>
    Unrecognized = 4,
}

public sealed record ExchangeOrder(
    string Uuid,
    string? Identifier,
    string Market,
    OrderSide Side,
    OrderType Type,
    ExchangeOrderState State,
    decimal? Price,
    decimal? Volume,
    decimal ExecutedVolume,
    decimal ExecutedFunds,
    decimal PaidFee,
    DateTimeOffset CreatedAt)
{
    /// <summary>Volume-weighted fill price, or null before the first fill.</summary>
    public decimal? AveragePrice => ExecutedVolume > 0 ? ExecutedFunds / ExecutedVolume : null;

    public bool IsFinal => State != ExchangeOrderState.Open;

    /// <summary>
    /// True when the exchange closed the order as cancelled (or another non-done ending) after it executed, with only
    /// dust left: Upbit ends a market buy by KRW (<c>price</c>) as <c>cancel</c> when what remains is too little to
    /// buy anything (under the minimum order, which also covers anything under one price tick). It is fully executed.
    /// </summary>
    public bool EndedWithOnlyDust =>
        State is ExchangeOrderState.Cancelled or ExchangeOrderState.Unrecognized
        && ExecutedVolume > 0
        && RemainingKrw is { } remaining
        && remaining < KrwOrderRules.MinimumOrderKrw;

    /// <summary>What is left of the order in KRW: a market buy's unspent amount, or a sell's unsold volume at the fill price.</summary>
    public decimal? RemainingKrw => Type switch
    {
        OrderType.Price when Price is { } krw => Math.Max(0m, krw - ExecutedFunds),
        OrderType.Market when Volume is { } volume && AveragePrice is { } average => Math.Max(0m, volume - ExecutedVolume) * average,
        _ => null,
    };
}
