using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>A stored order record (<c>orders</c>): what we asked the exchange for and what came of it.</summary>
public sealed record Order
{
    public required long Id { get; init; }

    public long UserId { get; init; } = NewOrder.DefaultUserId;

    public long? SignalId { get; init; }

    public required string Market { get; init; }

    public required OrderSide Side { get; init; }

    public required OrderType OrdType { get; init; }

    /// <summary>KRW to spend: set for a market buy (<see cref="OrderType.Price"/>).</summary>
    public decimal? RequestedKrw { get; init; }

    /// <summary>Volume to sell or to buy at a limit.</summary>
    public decimal? RequestedVolume { get; init; }

    public decimal? LimitPrice { get; init; }

    /// <summary>Our client order id, sent to the exchange so a repeated submission finds the first one.</summary>
    public required string Identifier { get; init; }

    public string? ExchangeUuid { get; init; }

    public required OrderStatus Status { get; init; }

    public decimal ExecutedVolume { get; init; }

    public decimal ExecutedFundsKrw { get; init; }

    public decimal? AvgPrice { get; init; }

    public decimal PaidFee { get; init; }

    public required OrderReason Reason { get; init; }

    public string? Error { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the fill was applied to the position; set exactly once per order.</summary>
    public DateTimeOffset? PositionAppliedAt { get; init; }
}
