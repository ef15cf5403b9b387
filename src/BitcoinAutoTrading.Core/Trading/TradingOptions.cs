using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// What the timer jobs trade (section <c>Trading</c>). <c>Trading:Mode</c> lives in the same section but is read where
/// the exchange is chosen, before options exist.
/// </summary>
public sealed class TradingOptions
{
    public const string Section = "Trading";

    /// <summary>Upbit market code, quote currency first.</summary>
    [Required]
    [RegularExpression("^[A-Z]{2,10}-[A-Z0-9]{2,15}$")]
    public string Market { get; set; } = DefaultMarket;

    public const string DefaultMarket = "KRW-BTC";

    /// <summary>The base currency, e.g. BTC of KRW-BTC.</summary>
    public string BaseCurrency => Market[(Market.IndexOf('-', StringComparison.Ordinal) + 1)..];

    /// <summary>The quote currency, e.g. KRW of KRW-BTC.</summary>
    public string QuoteCurrency => Market[..Math.Max(0, Market.IndexOf('-', StringComparison.Ordinal))];
}
