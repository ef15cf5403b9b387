using System.Globalization;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

public sealed class DailyLossGuard(
    IRiskSettingsProvider settingsProvider,
    IDailyStatsRepository dailyStats,
    RiskEventRecorder recorder,
    INotifier notifier,
    TimeProvider timeProvider) : IDailyLossGuard
{
    public async Task<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken = default)
    {
        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        var today = KstClock.TradingDay(timeProvider.GetUtcNow());
        var stats = await dailyStats.GetAsync(today, cancellationToken).ConfigureAwait(false);
        if (stats is not { IsHalted: true })
        {
            // Until the roll has closed yesterday, yesterday's halt stands (00:00–00:05 KST).
            var yesterday = await dailyStats.GetAsync(today.AddDays(-1), cancellationToken).ConfigureAwait(false);
            if (DailyHalt.InForce(stats, yesterday) is { } carried)
            {
                return new DailyLossStatus(true, LossPct(carried), settings.DailyLossLimitPct);
            }
        }
        if (stats is null)
        {
            // No row yet means no fill today, so no realized loss to judge.
            return new DailyLossStatus(false, 0m, settings.DailyLossLimitPct);
        }

        var lossPct = LossPct(stats);
        if (stats.IsHalted)
        {
            return new DailyLossStatus(true, lossPct, settings.DailyLossLimitPct);
        }
        if (lossPct < settings.DailyLossLimitPct)
        {
            return new DailyLossStatus(false, lossPct, settings.DailyLossLimitPct);
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"daily realized loss {lossPct:0.##}% reached the limit of {settings.DailyLossLimitPct}%");
        // Conditional: of instances racing here exactly one halts the day, and only that one records and notifies.
        if (!await dailyStats.SetHaltAsync(today, reason, cancellationToken).ConfigureAwait(false))
        {
            return new DailyLossStatus(true, lossPct, settings.DailyLossLimitPct);
        }
        await recorder.RecordAsync(
            RiskEventType.DailyLimit, lossPct, settings.DailyLossLimitPct, "trading halted for the KST day",
            details: new { tradeDate = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), realizedPnlKrw = stats.RealizedPnlKrw, startingEquityKrw = stats.StartingEquityKrw },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await notifier.NotifyAsync(
            $"Trading halted until 00:05 KST: {reason}. Protective exits keep running.",
            NotificationSeverity.Critical, cancellationToken).ConfigureAwait(false);
        return new DailyLossStatus(true, lossPct, settings.DailyLossLimitPct);
    }

    /// <summary>The day's realized loss in percent of its starting equity; 0 for a gain or an empty account.</summary>
    public static decimal LossPct(DailyStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.RealizedPnlKrw < 0 && stats.StartingEquityKrw > 0
            ? -stats.RealizedPnlKrw / stats.StartingEquityKrw * 100m
            : 0m;
    }
}
