namespace BitcoinAutoTrading.Core.Risk;

/// <summary>A recorded risk event (<c>risk_events</c>).</summary>
public sealed record RiskEvent(
    long Id,
    RiskEventType Type,
    long? OrderId,
    long? SignalId,
    decimal? TriggerValue,
    decimal? ThresholdValue,
    string ActionTaken,
    string? DetailsJson,
    DateTimeOffset CreatedAt,
    bool Notified);
