namespace BitcoinAutoTrading.Core.Signals;

/// <summary>A signal about to be stored.</summary>
public sealed record NewSignal
{
    public required string Market { get; init; }

    /// <summary>The last stored minute the signal saw, if any.</summary>
    public long? MarketDataId { get; init; }

    public required SignalType Type { get; init; }

    /// <summary>−1 (strong sell) … 1 (strong buy).</summary>
    public required decimal ActionScore { get; init; }

    /// <summary>0 … 1, computed in code (SPEC §4.5).</summary>
    public required decimal Confidence { get; init; }

    public string? MarketRegime { get; init; }

    /// <summary>A JSON object; kept as text so Core does not pick a serializer.</summary>
    public string ReasoningJson { get; init; } = "{}";

    public required SignalProviderKind Provider { get; init; }

    public string? ModelName { get; init; }

    /// <summary>True when the technical provider stood in for a failed or malformed AI answer.</summary>
    public bool IsFallback { get; init; }

    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    public int? ThinkingTokens { get; init; }

    public int? LatencyMs { get; init; }

    public int? PromptChars { get; init; }

    public decimal? PriceAtSignal { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Prompt hash, masked prompt, schema version, model version, response id and raw response (issue #16).</summary>
    public SignalProvenance? Provenance { get; init; }

    /// <summary>Why no model was asked although one is configured.</summary>
    public string? AiSkipReason { get; init; }

    /// <summary>A shadow provider's signal: never traded.</summary>
    public bool IsShadow { get; init; }

    /// <summary>For a shadow signal, the primary signal of the same run.</summary>
    public long? ShadowOfId { get; init; }

    /// <summary>Stored with the row (a shadow's note is known up front).</summary>
    public string? ExecutionNote { get; init; }
}
