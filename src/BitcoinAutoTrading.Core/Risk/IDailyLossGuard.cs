namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// The daily loss limit (SPEC §5.3). Called by the protective-exit check every minute and may be called after each
/// fill, so a losing trade halts trading at once rather than at the next minute.
/// </summary>
public interface IDailyLossGuard
{
    /// <summary>
    /// Halts trading for the KST day (and notifies, once) when the day's realized loss reaches
    /// <c>daily_loss_limit_pct</c> of its starting equity. Returns whether the day is halted.
    /// </summary>
    Task<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken = default);
}
