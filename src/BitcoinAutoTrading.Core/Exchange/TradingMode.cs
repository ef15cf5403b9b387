namespace BitcoinAutoTrading.Core.Exchange;

/// <summary><c>Trading:Mode</c>: Paper (the default) simulates fills on real prices; Live places real orders.</summary>
public enum TradingMode
{
    Paper = 1,
    Live = 2,
}
