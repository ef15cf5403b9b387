using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>
/// What one run sampled and analysed, and the prompt built from it: the primary and the shadow provider decide from
/// these same inputs, so their answers compare run by run. <see cref="Prompt"/> is null when no model is configured.
/// </summary>
public sealed record SignalInputs(
    SignalRequest Request,
    MarketSample Sample,
    MultiTimeframeAnalysis Analysis,
    DecisionThresholds Thresholds,
    decimal LastPrice,
    DateTimeOffset AsOf,
    string? Prompt);
