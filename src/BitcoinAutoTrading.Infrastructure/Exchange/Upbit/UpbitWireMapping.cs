using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>The adapter edge: Upbit's strings (bid/ask, wait/watch/done/cancel, price/market/limit) ↔ Core's enums.</summary>
internal static class UpbitWireMapping
{
    public static string ToWire(OrderSide side) => side switch
    {
        OrderSide.Buy => "bid",
        OrderSide.Sell => "ask",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "Unknown order side."),
    };

    public static OrderSide ParseSide(string side) => side switch
    {
        "bid" => OrderSide.Buy,
        "ask" => OrderSide.Sell,
        _ => throw new InvalidOperationException($"Unknown Upbit order side '{side}'."),
    };

    public static string ToWire(OrderType type) => type switch
    {
        OrderType.Price => "price",
        OrderType.Market => "market",
        OrderType.Limit => "limit",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown order type."),
    };

    public static OrderType ParseType(string type) => type switch
    {
        "price" => OrderType.Price,
        "market" => OrderType.Market,
        "limit" => OrderType.Limit,
        _ => throw new InvalidOperationException($"Unknown Upbit order type '{type}'."),
    };

    public static ExchangeOrderState ParseState(string state) => state switch
    {
        "wait" or "watch" => ExchangeOrderState.Open,
        "done" => ExchangeOrderState.Done,
        "cancel" => ExchangeOrderState.Cancelled,
        // E.g. "prevented" (self-match prevention): final with what executed; UpbitExchange logs the raw state.
        _ => ExchangeOrderState.Unrecognized,
    };

    public static string ToWire(ExchangeOrderState state) => state switch
    {
        ExchangeOrderState.Open => "wait",
        ExchangeOrderState.Done => "done",
        ExchangeOrderState.Cancelled => "cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown order state."),
    };

    public static ExchangeOrder ToDomain(UpbitOrderDto dto) => new(
        dto.Uuid,
        dto.Identifier,
        dto.Market,
        ParseSide(dto.Side),
        ParseType(dto.OrdType),
        ParseState(dto.State),
        dto.Price,
        dto.Volume,
        dto.ExecutedVolume,
        // Older responses carry fills only as trades; newer ones add executed_funds.
        dto.ExecutedFunds ?? dto.Trades?.Sum(t => t.Funds) ?? 0m,
        dto.PaidFee,
        dto.CreatedAt);

    public static Ticker ToDomain(UpbitTickerDto dto) =>
        new(dto.Market, dto.TradePrice, DateTimeOffset.FromUnixTimeMilliseconds(dto.Timestamp));

    public static Candle ToDomain(UpbitCandleDto dto) => new(
        dto.Market,
        new DateTimeOffset(DateTime.SpecifyKind(dto.CandleDateTimeUtc, DateTimeKind.Utc)),
        dto.OpeningPrice,
        dto.HighPrice,
        dto.LowPrice,
        dto.TradePrice,
        dto.AccTradeVolume,
        dto.AccTradePrice);

    public static Balance ToDomain(UpbitAccountDto dto) => new(dto.Currency, dto.Balance, dto.Locked, dto.AvgBuyPrice);
}
