using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Section <c>Gemini:Prices:{model}</c>: a model's price per million tokens; a field left out keeps its default.</summary>
public sealed class AiModelPriceOptions
{
    public decimal? InputPerMillion { get; set; }

    /// <summary>Also the price of thinking tokens.</summary>
    public decimal? OutputPerMillion { get; set; }
}

/// <summary>Section <c>Gemini</c>, key <c>Prices</c>: per-model prices over <see cref="AiPricing.Defaults"/>.</summary>
public sealed class AiPricingOptions
{
    /// <summary>Bound from the Gemini section (<c>Gemini:Prices:{model}:…</c>), beside the Gemini client's own options.</summary>
    public const string Section = "Gemini";

    public Dictionary<string, AiModelPriceOptions> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The price table in force: the defaults with configured prices over them. A configured model missing one of its two
/// prices (and having no default for it) stays unknown, so its cost is reported as unknown rather than as zero.
/// </summary>
public sealed class AiPriceTable
{
    public AiPriceTable(IEnumerable<AiModelPrice> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Models = models.ToList();
    }

    public AiPriceTable(IOptions<AiPricingOptions> options)
        : this(Merge(options?.Value ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    public IReadOnlyList<AiModelPrice> Models { get; }

    public AiModelPrice? Find(string? model) =>
        model is null ? null : Models.FirstOrDefault(m => string.Equals(SettingKey(m.Model), SettingKey(model), StringComparison.Ordinal));

    /// <summary>
    /// A model name as an app setting can spell it: Azure App Service accepts only letters, digits, '.' and '_' in a
    /// setting name and Linux (Flex Consumption) turns '.' into '_', so <c>Gemini__Prices__gemini_2_5_flash__…</c> must
    /// mean gemini-2.5-flash. Lower case, with '-' and '.' as '_'; no Gemini model id differs from another only there.
    /// </summary>
    public static string SettingKey(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToLowerInvariant().Replace('-', '_').Replace('.', '_');
    }

    /// <summary>Null when the model's price is unknown; thinking tokens are billed at the output price.</summary>
    public decimal? EstimateUsd(string? model, long inputTokens, long outputTokens, long thinkingTokens) =>
        Find(model) is { } price
            ? Math.Round((inputTokens * price.InputUsdPerMillion + (outputTokens + thinkingTokens) * price.OutputUsdPerMillion) / 1_000_000m, 6)
            : null;

    private static List<AiModelPrice> Merge(AiPricingOptions options)
    {
        var models = AiPricing.Defaults.ToDictionary(m => SettingKey(m.Model), StringComparer.Ordinal);
        foreach (var (name, configured) in options.Prices)
        {
            var key = SettingKey(name);
            models.TryGetValue(key, out var known);
            var input = configured.InputPerMillion ?? known?.InputUsdPerMillion;
            var output = configured.OutputPerMillion ?? known?.OutputUsdPerMillion;
            if (input is { } i && output is { } o)
            {
                models[key] = new AiModelPrice(known?.Model ?? name, i, o);
            }
            else
            {
                models.Remove(key);
            }
        }
        return models.Values.OrderBy(m => m.Model, StringComparer.Ordinal).ToList();
    }

    /// <summary>Start-up validation: no negative price.</summary>
    public static bool IsValid(AiPricingOptions options) =>
        options is not null && options.Prices.Values.All(p => p.InputPerMillion is null or >= 0 && p.OutputPerMillion is null or >= 0);
}
