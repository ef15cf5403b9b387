namespace BitcoinAutoTrading.Core.Risk;

/// <summary>A risk event about to be recorded.</summary>
public sealed record NewRiskEvent
{
    public required RiskEventType Type { get; init; }

    public long? OrderId { get; init; }

    public long? SignalId { get; init; }

    /// <summary>The value that tripped the rule, e.g. the loss in percent.</summary>
    public decimal? TriggerValue { get; init; }

    public decimal? ThresholdValue { get; init; }

    /// <summary>What the system did about it, e.g. "entry refused" or "sell started".</summary>
    public required string ActionTaken { get; init; }

    /// <summary>Optional JSON object with further details.</summary>
    public string? DetailsJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
