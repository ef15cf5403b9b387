namespace BitcoinAutoTrading.Core.Signals.Decision;

/// <summary>The code, not the model, decides (SPEC §4.5).</summary>
public static class SignalDecision
{
    /// <summary>Stored scores and confidences are numeric(6,4): decide on the value that is stored.</summary>
    public const int StoredDecimals = 4;

    public static SignalAction Decide(decimal actionScore, DecisionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (actionScore >= thresholds.Buy)
        {
            return SignalAction.Buy;
        }
        return actionScore <= thresholds.Sell ? SignalAction.Sell : SignalAction.Hold;
    }

    /// <summary>confidence = min(1, 0.5·|action_score| + 0.3·timeframe_agreement + 0.2·indicator_agreement).</summary>
    public static decimal Confidence(decimal actionScore, double timeframeAgreement, double indicatorAgreement)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeframeAgreement, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeframeAgreement, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(indicatorAgreement, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(indicatorAgreement, 1);
        var raw = (0.5m * Math.Abs(actionScore)) + (0.3m * (decimal)timeframeAgreement) + (0.2m * (decimal)indicatorAgreement);
        return Math.Round(Math.Min(1m, raw), StoredDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>Rounds a provider's score to what is stored, clamped to [−1, 1].</summary>
    public static decimal ToStoredScore(double score) =>
        Math.Round(Math.Clamp((decimal)score, -1m, 1m), StoredDecimals, MidpointRounding.AwayFromZero);

    public static decimal ToStoredScore(decimal score) =>
        Math.Round(Math.Clamp(score, -1m, 1m), StoredDecimals, MidpointRounding.AwayFromZero);
}
