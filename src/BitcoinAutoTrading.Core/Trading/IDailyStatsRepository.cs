namespace BitcoinAutoTrading.Core.Trading;

/// <summary>Per KST day statistics (<c>daily_stats</c>).</summary>
public interface IDailyStatsRepository
{
    Task<DailyStats?> GetAsync(DateOnly tradeDate, CancellationToken cancellationToken = default);

    /// <summary>Opens the day with <paramref name="startingEquityKrw"/> unless it exists; returns the stored row either way.</summary>
    Task<DailyStats> EnsureDayAsync(
        DateOnly tradeDate, decimal startingEquityKrw, CancellationToken cancellationToken = default);

    /// <summary>
    /// Halts trading for the day; true only for the one call that halted it, false when the day is not open or was
    /// halted already (by this instance or another).
    /// </summary>
    Task<bool> SetHaltAsync(DateOnly tradeDate, string reason, CancellationToken cancellationToken = default);

    /// <summary>Lifts the day's halt; false when the day is not open.</summary>
    Task<bool> ClearHaltAsync(DateOnly tradeDate, CancellationToken cancellationToken = default);

    /// <summary>Records the day's ending equity once; false when the day is missing or already closed.</summary>
    Task<bool> CloseDayAsync(
        DateOnly tradeDate, decimal endingEquityKrw, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="days"/> KST days up to today, newest first (days without a row are absent).</summary>
    Task<IReadOnlyList<DailyStats>> ListAsync(int days, CancellationToken cancellationToken = default);
}
