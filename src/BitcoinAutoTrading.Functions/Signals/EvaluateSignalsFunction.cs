using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using Microsoft.Azure.Functions.Worker;

namespace BitcoinAutoTrading.Functions.Signals;

/// <summary>
/// Every 4 hours: score signals 4 h and 24 h old against the stored prices (SPEC §4.6), then their confidence
/// (calibration) and the hit-rate gate (issue #16).
/// </summary>
public sealed class EvaluateSignalsFunction(IJobRunner jobRunner, SignalEvaluator evaluator, SignalQualityMonitor quality)
{
    [Function(nameof(EvaluateSignals))]
    public Task EvaluateSignals([TimerTrigger("%EvaluateSignalsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return jobRunner.RunAsync(nameof(EvaluateSignals), timer.IsPastDue, async ct =>
        {
            await evaluator.EvaluateAsync(ct).ConfigureAwait(false);
            // Then the calibration and the hit-rate gate, on the evaluations just recorded.
            await quality.RunAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }
}
