namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>What a model call cost and how long it took; all null for the technical provider.</summary>
public sealed record ProviderUsage(string? Model, int? InputTokens, int? OutputTokens, int? ThinkingTokens, int? LatencyMs)
{
    public static ProviderUsage None { get; } = new(null, null, null, null, null);
}
