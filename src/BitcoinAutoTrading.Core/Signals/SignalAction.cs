namespace BitcoinAutoTrading.Core.Signals;

/// <summary>What the pipeline decided; the stored <c>signal_type</c> is the upper-case name.</summary>
public enum SignalAction
{
    Hold = 0,
    Buy = 1,
    Sell = 2,
}
