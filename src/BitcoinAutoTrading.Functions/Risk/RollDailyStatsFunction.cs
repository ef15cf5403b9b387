using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Risk;

/// <summary>00:05 KST (15:05 UTC): closes yesterday's daily stats, opens today's and so lifts a daily-loss halt.</summary>
public sealed class RollDailyStatsFunction(IJobRunner jobRunner, DailyStatsRoller roller, IOptions<TradingOptions> trading)
{
    [Function(nameof(RollDailyStats))]
    public Task RollDailyStats([TimerTrigger("%RollDailyStatsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        // The market whose holdings make up equity: the app trades one market (Trading:Market).
        var market = trading.Value.Market;
        return jobRunner.RunAsync(
            nameof(RollDailyStats), timer.IsPastDue, ct => roller.RollAsync(market, ct), cancellationToken);
    }
}
