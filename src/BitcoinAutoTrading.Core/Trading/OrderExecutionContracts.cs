using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>What to trade. Amounts follow Upbit's shapes: a market buy names KRW, a market sell names volume.</summary>
public sealed record OrderInstruction(
    string Market,
    OrderSide Side,
    OrderType Type,
    OrderReason Reason,
    decimal? Krw = null,
    decimal? Volume = null,
    decimal? LimitPrice = null,
    long? SignalId = null);

/// <summary>
/// How long and how often the orchestration polls the exchange (SPEC §6: 1 s, 2 s, 4 s … capped, until a deadline), and
/// how many more looks a deadline cancel gets to settle before the order is left to SyncOpenOrders.
/// </summary>
public sealed record OrderPolling(TimeSpan InitialInterval, TimeSpan MaxInterval, TimeSpan Deadline, int CancelSettleLooks = 5)
{
    /// <summary>The wait after <paramref name="current"/>: doubled, capped at <see cref="MaxInterval"/>.</summary>
    public TimeSpan Next(TimeSpan current) =>
        TimeSpan.FromTicks(Math.Min(current.Ticks * 2, MaxInterval.Ticks));
}

/// <summary>Input of <c>ExecuteOrderOrchestrator</c>; polling is decided by the starter so the orchestration stays deterministic.</summary>
public sealed record ExecuteOrderInput(OrderInstruction Instruction, OrderPolling Polling);

public sealed record CreateOrderRecordInput(OrderInstruction Instruction, string Identifier);

/// <summary>Outcome of <c>SubmitOrder</c>: accepted by the exchange (with its uuid) or refused for good (4xx).</summary>
public sealed record SubmitOrderResult(bool Accepted, string? ExchangeUuid, string? Error)
{
    public static SubmitOrderResult Ok(string uuid) => new(true, uuid, null);

    public static SubmitOrderResult Rejected(string error) => new(false, null, error);
}

/// <summary>The exchange's latest word on an order, as the orchestration records it.</summary>
public sealed record OrderStateSnapshot(
    bool Found,
    bool IsFinal,
    bool WasCancelled,
    decimal ExecutedVolume,
    decimal ExecutedFundsKrw,
    decimal PaidFee,
    string? Error = null,
    bool EndedWithOnlyDust = false)
{
    public static OrderStateSnapshot NotFound(string error) => new(false, true, false, 0, 0, 0, error);

    /// <summary>
    /// Maps the exchange's view to the order status we store: a fill with the order done is EXECUTED, a fill with the
    /// order cancelled (deadline) is PARTIALLY_EXECUTED, no fill is CANCELLED, and an order the exchange never got is FAILED.
    /// A cancel that left only dust (Upbit's normal ending of a market buy) is EXECUTED.
    /// </summary>
    public OrderStatus ToStatus()
    {
        if (!Found)
        {
            return OrderStatus.Failed;
        }
        if (!IsFinal)
        {
            return OrderStatus.Submitted;
        }
        if (WasCancelled && !EndedWithOnlyDust)
        {
            return ExecutedVolume > 0 ? OrderStatus.PartiallyExecuted : OrderStatus.Cancelled;
        }
        return OrderStatus.Executed;
    }
}

public sealed record RecordOrderResultInput(long OrderId, OrderStateSnapshot State);

/// <summary>A deadline cancel the exchange had not settled after <see cref="Looks"/> more looks; the order stays open for SyncOpenOrders.</summary>
public sealed record UnsettledCancelInput(long OrderId, int Looks);

public sealed record OrderOutcome(long OrderId, string Identifier, OrderStatus Status, decimal ExecutedVolume, decimal ExecutedFundsKrw, string? Error)
{
    /// <summary>What the trader is told when a deadline cancel has not settled (the order stays SUBMITTED for SyncOpenOrders).</summary>
    public static string UnsettledCancelError(int looks) =>
        $"cancel_unsettled: the exchange still reports the order open {looks} looks after the deadline cancel; " +
        "left open for SyncOpenOrders to finish, and the market's next order (including a protective exit) waits for it";
}
