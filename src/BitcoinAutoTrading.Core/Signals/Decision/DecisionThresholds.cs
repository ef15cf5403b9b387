namespace BitcoinAutoTrading.Core.Signals.Decision;

/// <summary>
/// The action_score cut-offs of SPEC §4.5 (runtime-tunable as <c>signal_buy_threshold</c> / <c>signal_sell_threshold</c>):
/// BUY at or above <see cref="Buy"/>, SELL at or below <see cref="Sell"/>, HOLD between.
/// </summary>
public sealed record DecisionThresholds
{
    public static DecisionThresholds Default { get; } = new(0.30m, -0.20m);

    public DecisionThresholds(decimal buy, decimal sell)
    {
        if (buy is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(buy), buy, "The buy threshold must be in (0, 1].");
        }
        if (sell is >= 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(sell), sell, "The sell threshold must be in [-1, 0).");
        }
        Buy = buy;
        Sell = sell;
    }

    public decimal Buy { get; }

    public decimal Sell { get; }
}
