using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.MarketData;

/// <summary>Every minute: store the closed minutes since the last run, then check the protective exits (SPEC §2.1, §5.3).</summary>
public sealed class CollectMarketDataFunction(
    IJobRunner jobRunner, MarketDataCollector collector, IOptions<TradingOptions> trading, DurableClientAccessor durableClients)
{
    [Function(nameof(CollectMarketData))]
    public Task CollectMarketData(
        [TimerTrigger("%MarketDataSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        // A protective exit starts a SELL orchestration; the worker hands the client only to functions.
        durableClients.Use(durableClient);
        return jobRunner.RunAsync(
            nameof(CollectMarketData), timer.IsPastDue, ct => collector.CollectAsync(trading.Value.Market, ct), cancellationToken);
    }
}
