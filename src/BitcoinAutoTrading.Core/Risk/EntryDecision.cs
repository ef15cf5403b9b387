namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// The risk answer to a signal: go with an amount (KRW for a buy, volume for a sell), or not, with the note stored on
/// the signal (<c>refused: LOW_CONFIDENCE</c>, <c>skipped: no position to sell</c>).
/// </summary>
public sealed record EntryDecision(bool Approved, decimal? Krw, decimal? Volume, RiskEventType? RefusedBy, string Note)
{
    public static EntryDecision Buy(decimal krw) => new(true, krw, null, null, "approved");

    public static EntryDecision Sell(decimal volume) => new(true, null, volume, null, "approved");

    public static EntryDecision Refused(RiskEventType type) => new(false, null, null, type, $"refused: {type.ToWire()}");

    public static EntryDecision Skipped(string why) => new(false, null, null, null, $"skipped: {why}");
}
