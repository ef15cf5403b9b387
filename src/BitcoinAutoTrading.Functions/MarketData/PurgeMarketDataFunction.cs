using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using Microsoft.Azure.Functions.Worker;

namespace BitcoinAutoTrading.Functions.MarketData;

/// <summary>Daily: delete minutes older than the retention (SPEC §2.1).</summary>
public sealed class PurgeMarketDataFunction(IJobRunner jobRunner, MarketDataPurger purger)
{
    [Function(nameof(PurgeMarketData))]
    public Task PurgeMarketData([TimerTrigger("%PurgeMarketDataSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return jobRunner.RunAsync(nameof(PurgeMarketData), timer.IsPastDue, ct => purger.PurgeAsync(ct), cancellationToken);
    }
}
