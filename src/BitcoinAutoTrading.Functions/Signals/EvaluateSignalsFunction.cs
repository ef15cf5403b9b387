using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using Microsoft.Azure.Functions.Worker;

namespace BitcoinAutoTrading.Functions.Signals;

/// <summary>Every 4 hours: score signals 4 h and 24 h old against the stored prices (SPEC §4.6).</summary>
public sealed class EvaluateSignalsFunction(IJobRunner jobRunner, SignalEvaluator evaluator)
{
    [Function(nameof(EvaluateSignals))]
    public Task EvaluateSignals([TimerTrigger("%EvaluateSignalsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return jobRunner.RunAsync(nameof(EvaluateSignals), timer.IsPastDue, ct => evaluator.EvaluateAsync(ct), cancellationToken);
    }
}
