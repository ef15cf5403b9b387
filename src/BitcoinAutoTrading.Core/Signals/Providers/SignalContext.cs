using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Sampling;

namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>Everything a provider may look at; <see cref="Model"/> overrides the configured model when set.</summary>
public sealed record SignalContext(
    string Market,
    MarketSample Sample,
    MultiTimeframeAnalysis Analysis,
    string Prompt,
    string? Model = null);
