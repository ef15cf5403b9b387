using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Signals;

/// <summary>Every 30 minutes: pipeline → stored signal → hand-off to trading when actionable (SPEC §2.1, §4).</summary>
public sealed class GenerateSignalFunction(IJobRunner jobRunner, ISignalRunner runner, IOptions<TradingOptions> trading)
{
    [Function(nameof(GenerateSignal))]
    public Task GenerateSignal([TimerTrigger("%SignalSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return jobRunner.RunAsync(
            nameof(GenerateSignal), timer.IsPastDue, ct => runner.RunAsync(trading.Value.Market, ct), cancellationToken);
    }
}
