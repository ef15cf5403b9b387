namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// The stored position, valued at the latest stored minute's close (null when no price is stored yet).
/// A market never traded shows quantity 0.
/// </summary>
public sealed record PositionResponse(
    string Market,
    decimal Quantity,
    bool IsOpen,
    decimal AvgEntryPrice,
    decimal RealizedPnlKrw,
    decimal? PeakPriceSinceEntry,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? UpdatedAt,
    decimal? LastPrice,
    DateTimeOffset? LastPriceAt,
    decimal? MarketValueKrw,
    decimal? UnrealizedPnlKrw,
    decimal? UnrealizedPnlPct);

public sealed record CurrencyBalanceResponse(string Currency, decimal Available, decimal Locked, decimal Total, decimal AvgBuyPrice);

/// <summary>Balances from the exchange (paper or live), the coin valued at the current ticker; equity = quote total + coin value.</summary>
public sealed record BalanceResponse(
    string Mode,
    string Market,
    CurrencyBalanceResponse Krw,
    CurrencyBalanceResponse Coin,
    decimal Price,
    DateTimeOffset PriceAt,
    decimal CoinValueKrw,
    decimal EquityKrw);
