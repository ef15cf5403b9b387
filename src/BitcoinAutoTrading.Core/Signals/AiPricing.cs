namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Price of one model in US dollars per million tokens; thinking tokens are billed as output.</summary>
public sealed record AiModelPrice(string Model, decimal InputUsdPerMillion, decimal OutputUsdPerMillion);

/// <summary>
/// Published list prices used to estimate AI cost when configuration names none (Google AI for developers, Gemini API
/// pricing, paid tier, text input, prompts up to 200k tokens; output includes thinking): gemini-2.5-flash $0.30 / $2.50,
/// gemini-2.5-flash-lite $0.10 / $0.40, gemini-2.5-pro $1.25 / $10.00, gemini-3-flash-preview $0.50 / $3.00 per 1M
/// tokens. An estimate only: the invoice is the truth. <c>Gemini:Prices:{model}</c> overrides or adds models
/// (<see cref="AiPriceTable"/>). The technical provider costs nothing; a model not in the table has no estimate (null,
/// never zero).
/// </summary>
public static class AiPricing
{
    public static IReadOnlyList<AiModelPrice> Defaults { get; } =
    [
        new("gemini-2.5-flash", 0.30m, 2.50m),
        new("gemini-2.5-flash-lite", 0.10m, 0.40m),
        new("gemini-2.5-pro", 1.25m, 10.00m),
        new("gemini-3-flash-preview", 0.50m, 3.00m),
    ];

    /// <summary>The default prices, for callers without configuration.</summary>
    public static AiPriceTable Default { get; } = new(Defaults);

    public static IReadOnlyList<AiModelPrice> Models => Default.Models;

    public static AiModelPrice? Find(string? model) => Default.Find(model);

    /// <summary>Null when the model's price is unknown.</summary>
    public static decimal? EstimateUsd(string? model, long inputTokens, long outputTokens, long thinkingTokens) =>
        Default.EstimateUsd(model, inputTokens, outputTokens, thinkingTokens);
}
