namespace BitcoinAutoTrading.Core.Signals;

/// <summary>What a signal recommends; stored as BUY/SELL/HOLD.</summary>
public enum SignalType
{
    Buy = 1,
    Sell = 2,
    Hold = 3,
}
