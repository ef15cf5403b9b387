using System.Text.Json.Serialization;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

// Upbit's JSON exactly as it arrives (numbers sometimes as strings); mapped to Core types in UpbitWireMapping.

internal sealed record UpbitTickerDto(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("trade_price")] decimal TradePrice,
    [property: JsonPropertyName("timestamp")] long Timestamp);

internal sealed record UpbitCandleDto(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("candle_date_time_utc")] DateTime CandleDateTimeUtc,
    [property: JsonPropertyName("opening_price")] decimal OpeningPrice,
    [property: JsonPropertyName("high_price")] decimal HighPrice,
    [property: JsonPropertyName("low_price")] decimal LowPrice,
    [property: JsonPropertyName("trade_price")] decimal TradePrice,
    [property: JsonPropertyName("candle_acc_trade_volume")] decimal AccTradeVolume,
    [property: JsonPropertyName("candle_acc_trade_price")] decimal AccTradePrice);

internal sealed record UpbitAccountDto(
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("balance")] decimal Balance,
    [property: JsonPropertyName("locked")] decimal Locked,
    [property: JsonPropertyName("avg_buy_price")] decimal AvgBuyPrice);

internal sealed record UpbitChanceDto(
    [property: JsonPropertyName("bid_fee")] decimal BidFee,
    [property: JsonPropertyName("ask_fee")] decimal AskFee,
    [property: JsonPropertyName("market")] UpbitChanceMarketDto? Market);

internal sealed record UpbitChanceMarketDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("bid")] UpbitChanceSideDto? Bid,
    [property: JsonPropertyName("ask")] UpbitChanceSideDto? Ask);

internal sealed record UpbitChanceSideDto(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("min_total")] decimal? MinTotal);

internal sealed record UpbitTradeDto(
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("volume")] decimal Volume,
    [property: JsonPropertyName("funds")] decimal Funds);

internal sealed record UpbitOrderDto(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("ord_type")] string OrdType,
    [property: JsonPropertyName("price")] decimal? Price,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("volume")] decimal? Volume,
    [property: JsonPropertyName("executed_volume")] decimal ExecutedVolume,
    [property: JsonPropertyName("executed_funds")] decimal? ExecutedFunds,
    [property: JsonPropertyName("paid_fee")] decimal PaidFee,
    [property: JsonPropertyName("identifier")] string? Identifier,
    [property: JsonPropertyName("trades")] IReadOnlyList<UpbitTradeDto>? Trades);

internal sealed record UpbitErrorEnvelope([property: JsonPropertyName("error")] UpbitErrorDto? Error);

internal sealed record UpbitErrorDto(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("message")] string? Message);
