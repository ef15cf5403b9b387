namespace BitcoinAutoTrading.Core.Trading;

/// <summary>
/// The steps of one order's execution (SPEC §6), each a short transaction or one exchange call, each safe to run
/// more than once with the same input. The Durable activities are thin wrappers over these.
/// </summary>
public interface IOrderExecutionSteps
{
    /// <summary>TX1: inserts the PENDING order, or returns the existing one with the same identifier.</summary>
    Task<long> CreateOrderRecordAsync(CreateOrderRecordInput input, CancellationToken cancellationToken = default);

    /// <summary>Looks the order up at the exchange by identifier and only places it when absent; stores uuid and SUBMITTED.</summary>
    Task<SubmitOrderResult> SubmitOrderAsync(long orderId, CancellationToken cancellationToken = default);

    Task<OrderStateSnapshot> GetOrderStateAsync(long orderId, CancellationToken cancellationToken = default);

    Task CancelOrderAsync(long orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves a trace of a deadline cancel the exchange has not settled: a risk event on the order, which stays
    /// SUBMITTED for SyncOpenOrders. Safe to repeat (one event per order).
    /// </summary>
    Task RecordUnsettledCancelAsync(UnsettledCancelInput input, CancellationToken cancellationToken = default);

    /// <summary>TX2: stores the final status and fill; a repeat with the same result changes nothing.</summary>
    Task RecordOrderResultAsync(RecordOrderResultInput input, CancellationToken cancellationToken = default);

    /// <summary>TX3: applies the fill to the position and daily stats exactly once; false when it was already applied.</summary>
    Task<bool> ApplyFillToPositionAsync(long orderId, CancellationToken cancellationToken = default);

    /// <summary>Best effort; never throws for a notifier failure.</summary>
    Task SendNotificationAsync(OrderOutcome outcome, CancellationToken cancellationToken = default);
}
