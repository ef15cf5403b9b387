namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>
/// A provider's validated answer. <see cref="ActionScore"/> is in [−1, 1]; <see cref="ReasoningJson"/> is a JSON object;
/// <see cref="ModelSignal"/> is what a model said it would do (the code still decides from the score).
/// <see cref="Provenance"/> is set by model providers (null for the technical provider).
/// </summary>
public sealed record ProviderSignal(
    double ActionScore,
    MarketRegime Regime,
    string ReasoningJson,
    SignalAction? ModelSignal,
    ProviderUsage Usage)
{
    public ProviderProvenance? Provenance { get; init; }
}
