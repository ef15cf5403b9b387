using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Which day's daily-loss halt is in force (SPEC §5.3). The halt lasts until RollDailyStats has closed the halted day
/// and opened the next, at 00:05 KST: the KST date changes at 00:00, but between 00:00 and the roll yesterday's halt
/// still applies, also when a fill in those minutes already created today's row.
/// </summary>
public static class DailyHalt
{
    /// <summary>The halted day in force: today's when halted, else yesterday's while it is halted and not yet closed.</summary>
    public static DailyStats? InForce(DailyStats? today, DailyStats? yesterday) =>
        today is { IsHalted: true } ? today
        : yesterday is { IsHalted: true, ClosedAt: null } ? yesterday
        : null;
}
