namespace BitcoinAutoTrading.Core.Trading;

/// <summary>What one applied fill did to the position and the day (<see cref="ITradeLedger.ApplyFillAsync"/>).</summary>
public sealed record AppliedFill(long OrderId, Position Position, decimal RealizedPnlKrw, DateOnly TradeDate);

/// <summary>
/// TX3 of SPEC §6: the order's fill, its position and the day's statistics change together in one short transaction,
/// exactly once per order (guarded by <c>orders.position_applied_at</c> under a row lock).
/// </summary>
public interface ITradeLedger
{
    /// <summary>
    /// Applies the stored fill of a final order to its market's position and to the KST day of <paramref name="at"/>
    /// (opened with <paramref name="startingEquityKrw"/> if the day has no row yet). Returns null when the fill was
    /// already applied, so a repeat or a concurrent run changes nothing.
    /// </summary>
    Task<AppliedFill?> ApplyFillAsync(
        long orderId, DateTimeOffset at, decimal startingEquityKrw, CancellationToken cancellationToken = default);

    /// <summary>
    /// Final orders with a fill that was never applied (the process stopped between TX2 and TX3 and the orchestration
    /// was lost), finished before <paramref name="finishedBefore"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<long>> ListUnappliedFillsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default);
}
