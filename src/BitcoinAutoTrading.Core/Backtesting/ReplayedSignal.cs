using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Analysis;
using BitcoinAutoTrading.Core.Signals.Decision;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// One signal run of a backtest at <see cref="At"/>, filled (if it trades) at the open of minute <see cref="FillIndex"/>.
/// Either the technical provider's market analysis, which the decision is made from under the run's thresholds, or a
/// signal stored in <c>trading_signals</c>, replayed as it was decided then.
/// </summary>
public sealed record ReplayedSignal(DateTimeOffset At, int FillIndex)
{
    /// <summary>The provider's raw action score and the analysis it came from (technical provider).</summary>
    public double? ProviderScore { get; init; }

    public MultiTimeframeAnalysis? Analysis { get; init; }

    /// <summary>A stored signal's decision (recorded provider).</summary>
    public ScoredSignal? Recorded { get; init; }

    public long? SignalId { get; init; }

    /// <summary>
    /// When the signal came to be: a stored signal's created_at (its <see cref="At"/> is the next whole minute, where it
    /// fills); the signal time itself for a technical one. Before the run's start it only counts towards the hit-rate gate.
    /// </summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public bool IsFallback { get; init; }

    /// <summary>The decision under <paramref name="thresholds"/>: the live pipeline's decision step, or the stored one.</summary>
    public ScoredSignal Decide(DecisionThresholds thresholds)
    {
        if (Recorded is { } recorded)
        {
            return recorded;
        }
        if (ProviderScore is not { } score || Analysis is null)
        {
            throw new InvalidOperationException("A replayed signal needs either a provider score with its analysis or a recorded decision.");
        }
        return SignalScoring.Score(score, Analysis, thresholds);
    }

    public static ScoredSignal FromStored(SignalAction action, decimal score, decimal confidence) =>
        new(score, action, 0, 0, confidence);
}
