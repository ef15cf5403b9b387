using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Live trading's entry checks (SPEC §5.2): <see cref="EntryRules"/> over the stored facts, with each refusal stored as
/// a risk event with the value that tripped it and the threshold.
/// </summary>
public sealed class EntryRiskEvaluator(
    IRiskSettingsProvider settingsProvider,
    IDailyLossGuard dailyLossGuard,
    IOrderRepository orders,
    IMarketDataRepository marketData,
    IPositionRepository positions,
    PortfolioValuation valuation,
    RiskEventRecorder recorder,
    HitRateGate hitRateGate,
    TimeProvider timeProvider)
{
    public async Task<EntryDecision> EvaluateBuyAsync(
        string market, decimal confidence, long? signalId, CancellationToken cancellationToken = default)
    {
        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        var verdict = await EntryRules.DecideBuyAsync(Facts(market), confidence, settings, timeProvider.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        return await RecordAsync(verdict, signalId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A SELL on a signal: blocked while halted or disabled, otherwise the whole position if it is worth the exchange minimum.</summary>
    public async Task<EntryDecision> EvaluateSellAsync(string market, long? signalId, CancellationToken cancellationToken = default)
    {
        var verdict = await EntryRules.DecideSellAsync(Facts(market), cancellationToken).ConfigureAwait(false);
        return await RecordAsync(verdict, signalId, cancellationToken).ConfigureAwait(false);
    }

    private StoredEntryFacts Facts(string market) =>
        new(market, settingsProvider, dailyLossGuard, orders, marketData, positions, valuation, hitRateGate);

    private async Task<EntryDecision> RecordAsync(EntryVerdict verdict, long? signalId, CancellationToken cancellationToken)
    {
        if (verdict.Refusal is { } refusal)
        {
            await recorder.RecordAsync(refusal.Type, refusal.Trigger, refusal.Threshold, refusal.Action, signalId, refusal.Details, cancellationToken)
                .ConfigureAwait(false);
        }
        return verdict.Decision;
    }
}
