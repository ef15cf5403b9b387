namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Signals and token use of one provider and model on one UTC day; cost is estimated from these by the caller.</summary>
public sealed record AiUsageDay(
    DateOnly Day,
    SignalProviderKind Provider,
    string? ModelName,
    int Signals,
    int Fallbacks,
    long InputTokens,
    long OutputTokens,
    long ThinkingTokens);
