namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Everything a <c>trading_signals</c> row needs; the caller stores it.</summary>
public sealed record SignalResult(
    string Market,
    long? MarketDataId,
    SignalAction Action,
    decimal ActionScore,
    decimal Confidence,
    MarketRegime Regime,
    string ReasoningJson,
    string Provider,
    string? ModelName,
    bool IsFallback,
    int? InputTokens,
    int? OutputTokens,
    int? ThinkingTokens,
    int? LatencyMs,
    int? PromptChars,
    decimal LastPrice,
    double TimeframeAgreement,
    double IndicatorAgreement,
    int SampledBars,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The stored <c>signal_type</c>: BUY, SELL or HOLD.</summary>
    public string SignalType => Action.ToString().ToUpperInvariant();

    public string RegimeName => Regime.ToWire();

    /// <summary>
    /// BUY or SELL from the configured provider. A fallback is recorded but never executed (SPEC §4.5, R6):
    /// the model was asked and gave no usable answer, so nothing trades on it.
    /// </summary>
    public bool IsActionable => Action != SignalAction.Hold && !IsFallback;
}
