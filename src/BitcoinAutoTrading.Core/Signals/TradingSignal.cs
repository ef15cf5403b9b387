namespace BitcoinAutoTrading.Core.Signals;

/// <summary>A stored signal with its execution note and, once due, its 4 h and 24 h evaluations.</summary>
public sealed record TradingSignal
{
    public required long Id { get; init; }

    public required string Market { get; init; }

    /// <summary>Null once the minute it saw has been purged.</summary>
    public long? MarketDataId { get; init; }

    public required SignalType Type { get; init; }

    public required decimal ActionScore { get; init; }

    public required decimal Confidence { get; init; }

    public string? MarketRegime { get; init; }

    public required string ReasoningJson { get; init; }

    public required SignalProviderKind Provider { get; init; }

    public string? ModelName { get; init; }

    public bool IsFallback { get; init; }

    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    public int? ThinkingTokens { get; init; }

    public int? LatencyMs { get; init; }

    public int? PromptChars { get; init; }

    public decimal? PriceAtSignal { get; init; }

    /// <summary>What became of the signal: order started, refused by risk (and why), or nothing to do.</summary>
    public string? ExecutionNote { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public SignalEvaluation? Evaluation4h { get; init; }

    public SignalEvaluation? Evaluation24h { get; init; }

    public SignalProvenance? Provenance { get; init; }

    public string? AiSkipReason { get; init; }

    public bool IsShadow { get; init; }

    public long? ShadowOfId { get; init; }
}
