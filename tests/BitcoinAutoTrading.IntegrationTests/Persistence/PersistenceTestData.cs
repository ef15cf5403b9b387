using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>Valid rows to start from; each test changes what it is about.</summary>
internal static class PersistenceTestData
{
    public const string Market = "KRW-BTC";

    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A rising series of minutes starting at <paramref name="start"/> with prices that differ per minute.</summary>
    public static List<Candle> Minutes(int count, DateTimeOffset? start = null, string market = Market, decimal basePrice = 95_000_000m) =>
        Enumerable.Range(0, count)
            .Select(i =>
            {
                var open = basePrice + (i * 1_000m);
                var close = open + ((i % 3) - 1) * 500m;
                return new Candle(
                    market, (start ?? T0).AddMinutes(i), open, Math.Max(open, close) + 700m, Math.Min(open, close) - 300m,
                    close, 0.12345678m + i, (0.12345678m + i) * open);
            })
            .ToList();

    public static NewSignal Signal(DateTimeOffset createdAt, SignalType type = SignalType.Buy, long? marketDataId = null) => new()
    {
        Market = Market,
        MarketDataId = marketDataId,
        Type = type,
        ActionScore = type switch { SignalType.Buy => 0.45m, SignalType.Sell => -0.35m, _ => 0.05m },
        Confidence = 0.7125m,
        MarketRegime = "trending_up",
        // jsonb keeps keys sorted by length then name and prints ": " — this text is already in that form.
        ReasoningJson = """{"rsi": 55.5, "trend": "up"}""",
        Provider = SignalProviderKind.Gemini,
        ModelName = "gemini-2.5-flash",
        InputTokens = 2400,
        OutputTokens = 180,
        ThinkingTokens = 512,
        LatencyMs = 1450,
        PromptChars = 9600,
        PriceAtSignal = 95_123_000m,
        CreatedAt = createdAt,
    };

    public static NewOrder MarketBuy(string identifier, DateTimeOffset createdAt, string market = Market) => new()
    {
        Market = market,
        Side = OrderSide.Buy,
        OrdType = OrderType.Price,
        RequestedKrw = 150_000m,
        Identifier = identifier,
        Reason = OrderReason.Signal,
        CreatedAt = createdAt,
    };

    public static NewOrder MarketSell(string identifier, DateTimeOffset createdAt, decimal volume, string market = Market) => new()
    {
        Market = market,
        Side = OrderSide.Sell,
        OrdType = OrderType.Market,
        RequestedVolume = volume,
        Identifier = identifier,
        Reason = OrderReason.StopLoss,
        CreatedAt = createdAt,
    };
}
