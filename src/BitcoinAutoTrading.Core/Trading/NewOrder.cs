using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>An order record about to be created in PENDING state.</summary>
public sealed record NewOrder
{
    /// <summary>The seed's schema has a user column; this app trades for one user.</summary>
    public const long DefaultUserId = 1;

    public long UserId { get; init; } = DefaultUserId;

    public long? SignalId { get; init; }

    public required string Market { get; init; }

    public required OrderSide Side { get; init; }

    public required OrderType OrdType { get; init; }

    public decimal? RequestedKrw { get; init; }

    public decimal? RequestedVolume { get; init; }

    public decimal? LimitPrice { get; init; }

    public required string Identifier { get; init; }

    public required OrderReason Reason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
