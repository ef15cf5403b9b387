namespace BitcoinAutoTrading.Functions.Api;

/// <summary>The market the app trades (<c>Trading:Market</c>, default KRW-BTC): what the market, position and balance routes report on.</summary>
public sealed record TradingMarket(string Market)
{
    public const string Setting = "Trading:Market";

    public const string Default = "KRW-BTC";

    /// <summary>The base currency, e.g. BTC of KRW-BTC.</summary>
    public string BaseCurrency => Market[(Market.IndexOf('-', StringComparison.Ordinal) + 1)..];

    /// <summary>The quote currency, e.g. KRW of KRW-BTC.</summary>
    public string QuoteCurrency => Market[..Math.Max(0, Market.IndexOf('-', StringComparison.Ordinal))];
}
