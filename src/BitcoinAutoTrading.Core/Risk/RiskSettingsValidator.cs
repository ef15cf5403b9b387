using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// The allowed type and range of each setting (SPEC §5.1). A change is all or nothing: the caller stores it only
/// when this returns no error, so a bad value can never reach the risk rules.
/// </summary>
public static partial class RiskSettingsValidator
{
    private enum Kind
    {
        Boolean,
        Decimal,
        Integer,
        ModelName,
    }

    private sealed record Rule(Kind Kind, decimal Min = 0, decimal Max = 0);

    private const int MaxModelNameLength = 100;

    // Ranges the SPEC names are used as given; the others are the widest values that still make sense for the rule
    // (a stop needs some distance, a percentage of equity cannot exceed 100).
    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        [RiskSettingKeys.TradingEnabled] = new(Kind.Boolean),
        [RiskSettingKeys.MinConfidence] = new(Kind.Decimal, 0m, 1m),
        [RiskSettingKeys.PositionSizeMinPct] = new(Kind.Decimal, 1m, 100m),
        [RiskSettingKeys.PositionSizeMaxPct] = new(Kind.Decimal, 1m, 100m),
        [RiskSettingKeys.MaxExposurePct] = new(Kind.Decimal, 1m, 100m),
        [RiskSettingKeys.StopLossPct] = new(Kind.Decimal, 1m, 20m),
        [RiskSettingKeys.TakeProfitPct] = new(Kind.Decimal, 0.5m, 100m),
        [RiskSettingKeys.TrailingStopActivationPct] = new(Kind.Decimal, 0.1m, 50m),
        [RiskSettingKeys.TrailingStopDistancePct] = new(Kind.Decimal, 0.1m, 20m),
        [RiskSettingKeys.DailyLossLimitPct] = new(Kind.Decimal, 0.5m, 50m),
        [RiskSettingKeys.VolatilityThresholdPct] = new(Kind.Decimal, 0.1m, 50m),
        [RiskSettingKeys.TradeCooldownMinutes] = new(Kind.Integer, 0m, 1440m),
        [RiskSettingKeys.SignalBuyThreshold] = new(Kind.Decimal, 0.01m, 1m),
        [RiskSettingKeys.SignalSellThreshold] = new(Kind.Decimal, -1m, -0.01m),
        [RiskSettingKeys.AiModel] = new(Kind.ModelName),
        // 0 turns the hit-rate gate off; the sample is also the minimum number of evaluated signals before it acts.
        [RiskSettingKeys.MinHitRate] = new(Kind.Decimal, 0m, 1m),
        [RiskSettingKeys.HitRateSampleSize] = new(Kind.Integer, 5m, 500m),
        // 0 means no AI at all: the technical provider runs.
        [RiskSettingKeys.AiDailyBudgetUsd] = new(Kind.Decimal, 0m, 1000m),
        // "none", "technical" or a Gemini model name: all pass the model-name rule.
        [RiskSettingKeys.AiShadowModel] = new(Kind.ModelName),
    };

    /// <summary>The allowed range of a numeric setting; null for unknown keys and for non-numeric settings.</summary>
    public static (decimal Min, decimal Max)? RangeOf(string key) =>
        Rules.TryGetValue(key, out var rule) && rule.Kind is Kind.Decimal or Kind.Integer ? (rule.Min, rule.Max) : null;

    /// <summary>Checks each field of a change on its own: unknown keys, wrong JSON types and values out of range.</summary>
    public static IReadOnlyList<RiskSettingError> Validate(IReadOnlyDictionary<string, JsonElement> patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var errors = new List<RiskSettingError>();
        foreach (var (key, value) in patch.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (ValidateField(key, value) is { } error)
            {
                errors.Add(new RiskSettingError(key, error));
            }
        }
        return errors;
    }

    /// <summary>
    /// As <see cref="Validate(IReadOnlyDictionary{string, JsonElement})"/>, then checks the settings the change would
    /// produce from <paramref name="current"/> as a whole (the minimum position size may not exceed the maximum).
    /// </summary>
    public static IReadOnlyList<RiskSettingError> Validate(IReadOnlyDictionary<string, JsonElement> patch, RiskSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var errors = Validate(patch);
        if (errors.Count > 0)
        {
            return errors;
        }

        var merged = RiskSettingsJson.Apply(current, patch);
        if (merged.PositionSizeMinPct > merged.PositionSizeMaxPct)
        {
            var field = patch.ContainsKey(RiskSettingKeys.PositionSizeMinPct)
                ? RiskSettingKeys.PositionSizeMinPct
                : RiskSettingKeys.PositionSizeMaxPct;
            return
            [
                new RiskSettingError(field, string.Create(CultureInfo.InvariantCulture,
                    $"position_size_min_pct ({merged.PositionSizeMinPct}) must not exceed position_size_max_pct ({merged.PositionSizeMaxPct})")),
            ];
        }
        return [];
    }

    /// <summary>The error for one field, or null when the value is allowed.</summary>
    public static string? ValidateField(string key, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Rules.TryGetValue(key, out var rule))
        {
            return "unknown setting";
        }

        return rule.Kind switch
        {
            Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false",
            Kind.Decimal => ValidateNumber(value, rule, integer: false),
            Kind.Integer => ValidateNumber(value, rule, integer: true),
            Kind.ModelName => ValidateModelName(value),
            _ => "unknown setting",
        };
    }

    private static string? ValidateNumber(JsonElement value, Rule rule, bool integer)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            return integer ? "must be a whole number" : "must be a number";
        }
        if (integer && number != decimal.Truncate(number))
        {
            return "must be a whole number";
        }
        if (number < rule.Min || number > rule.Max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must be between {rule.Min} and {rule.Max}");
        }
        return null;
    }

    private static string? ValidateModelName(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return "must be a string";
        }
        var name = value.GetString()!;
        // The model name becomes part of the provider's URL path, so only the characters model ids use are allowed.
        if (name.Length is 0 or > MaxModelNameLength || !ModelNamePattern().IsMatch(name))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"must be 1 to {MaxModelNameLength} letters, digits, '.', '-' or '_'");
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();
}
