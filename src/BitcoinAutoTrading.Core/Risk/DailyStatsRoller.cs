using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>What a roll did: whether yesterday was closed now, and today's row as stored.</summary>
public sealed record DailyRoll(DateOnly ClosedDay, bool Closed, DailyStats Today);

/// <summary>
/// RollDailyStats at 00:05 KST (SPEC §2.1): closes yesterday with its ending equity and opens today with the current
/// equity as the base of today's loss limit. Today's row starts unhalted, which is what lifts a daily-loss halt; the
/// operator's manual halt lives in <c>system_config</c> (<c>trading_enabled</c>) and is not touched.
/// </summary>
public sealed partial class DailyStatsRoller(
    IDailyStatsRepository dailyStats,
    PortfolioValuation valuation,
    TimeProvider timeProvider,
    ILogger<DailyStatsRoller> logger)
{
    public async Task<DailyRoll> RollAsync(string market, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var today = KstClock.TradingDay(now);
        var yesterday = today.AddDays(-1);
        var equity = (await valuation.ReadAsync(market, cancellationToken).ConfigureAwait(false)).EquityKrw;

        // Both steps are idempotent, so a retried or repeated run changes nothing the first one did.
        var closed = await dailyStats.CloseDayAsync(yesterday, equity, now, cancellationToken).ConfigureAwait(false);
        var opened = await dailyStats.EnsureDayAsync(today, equity, cancellationToken).ConfigureAwait(false);
        LogRolled(yesterday, closed, today, opened.StartingEquityKrw, opened.IsHalted);
        return new DailyRoll(yesterday, closed, opened);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Daily stats rolled: {Yesterday} closed now {Closed}; {Today} starts at {StartingEquity} KRW, halted {Halted}")]
    private partial void LogRolled(DateOnly yesterday, bool closed, DateOnly today, decimal startingEquity, bool halted);
}
