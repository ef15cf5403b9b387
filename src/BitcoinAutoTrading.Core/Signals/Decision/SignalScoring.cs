using BitcoinAutoTrading.Core.Signals.Analysis;

namespace BitcoinAutoTrading.Core.Signals.Decision;

/// <summary>A provider's score turned into the decision the code makes (SPEC §4.5), with what went into its confidence.</summary>
public sealed record ScoredSignal(
    decimal ActionScore, SignalAction Action, double TimeframeAgreement, double IndicatorAgreement, decimal Confidence);

/// <summary>
/// The decision step of the signal pipeline as one pure function, so the live pipeline and the backtester decide and
/// score confidence with the very same code.
/// </summary>
public static class SignalScoring
{
    public static ScoredSignal Score(double providerScore, MultiTimeframeAnalysis analysis, DecisionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(thresholds);
        var score = SignalDecision.ToStoredScore(providerScore);
        var action = SignalDecision.Decide(score, thresholds);
        var direction = action.ToDirection();
        var timeframeAgreement = Confluence.TimeframeAgreement(analysis.Timeframes, direction);
        var indicatorAgreement = Confluence.IndicatorAgreement(analysis.Timeframes, direction);
        var confidence = SignalDecision.Confidence(score, timeframeAgreement, indicatorAgreement);
        return new ScoredSignal(score, action, timeframeAgreement, indicatorAgreement, confidence);
    }
}
