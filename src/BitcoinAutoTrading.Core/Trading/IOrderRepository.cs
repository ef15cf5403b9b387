namespace BitcoinAutoTrading.Core.Trading;

/// <summary>Stored order records (<c>orders</c>) and their guarded state changes.</summary>
public interface IOrderRepository
{
    /// <summary>
    /// Creates the order in PENDING state unless one with the same identifier exists, in which case that one is
    /// returned and nothing is created. A second non-final order for the same market is refused by the database
    /// (unique index <c>uq_orders_one_active_per_market</c>).
    /// </summary>
    Task<OrderCreation> CreateAsync(NewOrder order, CancellationToken cancellationToken = default);

    Task<Order?> GetByIdAsync(long id, CancellationToken cancellationToken = default);

    Task<Order?> GetByIdentifierAsync(string identifier, CancellationToken cancellationToken = default);

    /// <summary>Newest first, optionally in one status. Pass the last id of a page as <paramref name="beforeId"/> for the next page.</summary>
    Task<IReadOnlyList<Order>> ListAsync(
        OrderStatus? status, int limit, long? beforeId = null, CancellationToken cancellationToken = default);

    /// <summary>The market's order still in flight (PENDING or SUBMITTED), if any.</summary>
    Task<Order?> GetActiveAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>
    /// PENDING → SUBMITTED with the exchange's uuid. Repeating with the same uuid is <see cref="OrderUpdateOutcome.AlreadyApplied"/>;
    /// an order that has another uuid or has left PENDING without this one is <see cref="OrderUpdateOutcome.Rejected"/>.
    /// </summary>
    Task<OrderUpdateOutcome> MarkSubmittedAsync(
        long id, string exchangeUuid, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a PENDING or SUBMITTED order to a final <paramref name="status"/> with its fills. Repeating with the same
    /// values is <see cref="OrderUpdateOutcome.AlreadyApplied"/>; a final order is never changed again.
    /// </summary>
    Task<OrderUpdateOutcome> RecordResultAsync(
        long id,
        OrderStatus status,
        decimal executedVolume,
        decimal executedFundsKrw,
        decimal? avgPrice,
        decimal paidFee,
        string? error,
        DateTimeOffset finishedAt,
        CancellationToken cancellationToken = default);

    /// <summary>Orders still PENDING or SUBMITTED that were created before <paramref name="olderThan"/>, oldest first.</summary>
    Task<IReadOnlyList<Order>> ListStaleNonTerminalAsync(
        DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    Task<Order?> GetLatestAsync(CancellationToken cancellationToken = default);

    /// <summary>How many orders of the user there are, optionally in one status (the total behind a <see cref="ListAsync"/> page).</summary>
    Task<long> CountAsync(
        OrderStatus? status, long userId = NewOrder.DefaultUserId, CancellationToken cancellationToken = default);
}
