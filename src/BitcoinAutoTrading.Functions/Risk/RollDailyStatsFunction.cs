using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Functions.Risk;

/// <summary>00:05 KST (15:05 UTC): closes yesterday's daily stats, opens today's and so lifts a daily-loss halt.</summary>
public sealed class RollDailyStatsFunction(IJobRunner jobRunner, DailyStatsRoller roller, IConfiguration configuration)
{
    /// <summary>The market whose holdings make up equity; the app trades one market (Trading:Market).</summary>
    internal const string DefaultMarket = "KRW-BTC";

    [Function(nameof(RollDailyStats))]
    public Task RollDailyStats([TimerTrigger("%RollDailyStatsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var market = configuration["Trading:Market"] is { Length: > 0 } configured ? configured : DefaultMarket;
        return jobRunner.RunAsync(
            nameof(RollDailyStats), timer.IsPastDue, ct => roller.RollAsync(market, ct), cancellationToken);
    }
}
