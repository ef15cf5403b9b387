namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Price of one model in US dollars per million tokens; thinking tokens are billed as output.</summary>
public sealed record AiModelPrice(string Model, decimal InputUsdPerMillion, decimal OutputUsdPerMillion);

/// <summary>
/// Published list prices used to estimate AI cost (Google AI for developers, Gemini API pricing, paid tier, text
/// input): gemini-2.5-flash input $0.30 / 1M tokens, output including thinking $2.50 / 1M tokens. An estimate only:
/// the invoice is the truth. The technical provider costs nothing; a model not in the table has no estimate.
/// </summary>
public static class AiPricing
{
    public static IReadOnlyList<AiModelPrice> Models { get; } =
    [
        new("gemini-2.5-flash", 0.30m, 2.50m),
    ];

    public static AiModelPrice? Find(string? model) =>
        Models.FirstOrDefault(m => string.Equals(m.Model, model, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the model's price is unknown.</summary>
    public static decimal? EstimateUsd(string? model, long inputTokens, long outputTokens, long thinkingTokens) =>
        Find(model) is { } price
            ? Math.Round((inputTokens * price.InputUsdPerMillion + (outputTokens + thinkingTokens) * price.OutputUsdPerMillion) / 1_000_000m, 6)
            : null;
}
