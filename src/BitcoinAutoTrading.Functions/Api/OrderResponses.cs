using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Functions.Api;

public sealed record OrderResponse(
    long Id,
    long? SignalId,
    string Market,
    string Side,
    string OrdType,
    decimal? RequestedKrw,
    decimal? RequestedVolume,
    decimal? LimitPrice,
    string Identifier,
    string? ExchangeUuid,
    string Status,
    decimal ExecutedVolume,
    decimal ExecutedFundsKrw,
    decimal? AvgPrice,
    decimal PaidFee,
    string Reason,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? PositionAppliedAt)
{
    public static OrderResponse From(Order o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(
            o.Id, o.SignalId, o.Market, o.Side.ToWire(WireCase.UpperSnake), o.OrdType.ToWire(WireCase.LowerSnake),
            o.RequestedKrw, o.RequestedVolume, o.LimitPrice, o.Identifier, o.ExchangeUuid, o.Status.ToDbValue(),
            o.ExecutedVolume, o.ExecutedFundsKrw, o.AvgPrice, o.PaidFee, o.Reason.ToWire(WireCase.LowerSnake), o.Error,
            o.CreatedAt, o.SubmittedAt, o.FinishedAt, o.PositionAppliedAt);
    }
}

/// <summary>A page, newest first, with the total in that status; pass <see cref="NextBefore"/> as <c>before</c> for the next page.</summary>
public sealed record OrderListResponse(int Limit, string? Status, long Total, long? NextBefore, IReadOnlyList<OrderResponse> Items);
