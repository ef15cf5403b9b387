using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Functions.Api;

public enum ConfigValueKind
{
    Boolean = 1,
    Decimal = 2,
    Integer = 3,
    Text = 4,
}

/// <summary>
/// One SPEC §5.1 setting: its <c>system_config</c> key, JSON type, allowed range and how it maps onto
/// <see cref="RiskSettings"/> (whose initialisers are the defaults, so the two cannot drift apart).
/// </summary>
public sealed record ConfigSettingRule(
    string Key,
    ConfigValueKind Kind,
    decimal? Min,
    decimal? Max,
    string Description,
    Func<RiskSettings, object> Read,
    Func<RiskSettings, JsonElement, RiskSettings> Apply)
{
    public string DefaultJson => JsonSerializer.Serialize(Read(new RiskSettings()));
}

/// <summary>
/// The settings table for GET/PATCH /api/config (SPEC §5.1): JSON kind, description and mapping per key; the ranges
/// are Core's (<see cref="RiskSettingsValidator.RangeOf"/>), so the API and the risk rules cannot disagree.
/// </summary>
public static partial class ConfigSettingRules
{
    public static IReadOnlyList<ConfigSettingRule> All { get; } =
    [
        new("trading_enabled", ConfigValueKind.Boolean, null, null, "Master switch for new entries and signal sells.",
            s => s.TradingEnabled, (s, v) => s with { TradingEnabled = v.GetBoolean() }),
        Ranged("min_confidence", ConfigValueKind.Decimal, "Lowest signal confidence that may open a position.",
            s => s.MinConfidence, (s, v) => s with { MinConfidence = v.GetDecimal() }),
        Ranged("position_size_min_pct", ConfigValueKind.Decimal, "Order size in % of equity at zero confidence.",
            s => s.PositionSizeMinPct, (s, v) => s with { PositionSizeMinPct = v.GetDecimal() }),
        Ranged("position_size_max_pct", ConfigValueKind.Decimal, "Order size in % of equity at full confidence.",
            s => s.PositionSizeMaxPct, (s, v) => s with { PositionSizeMaxPct = v.GetDecimal() }),
        Ranged("max_exposure_pct", ConfigValueKind.Decimal, "Largest position value in % of equity.",
            s => s.MaxExposurePct, (s, v) => s with { MaxExposurePct = v.GetDecimal() }),
        Ranged("stop_loss_pct", ConfigValueKind.Decimal, "Loss from entry in % that triggers the stop-loss exit.",
            s => s.StopLossPct, (s, v) => s with { StopLossPct = v.GetDecimal() }),
        Ranged("take_profit_pct", ConfigValueKind.Decimal, "Gain from entry in % that triggers the take-profit exit.",
            s => s.TakeProfitPct, (s, v) => s with { TakeProfitPct = v.GetDecimal() }),
        Ranged("trailing_stop_activation_pct", ConfigValueKind.Decimal, "Gain from entry in % that arms the trailing stop.",
            s => s.TrailingStopActivationPct, (s, v) => s with { TrailingStopActivationPct = v.GetDecimal() }),
        Ranged("trailing_stop_distance_pct", ConfigValueKind.Decimal, "Fall from the peak in % that fires the armed trailing stop.",
            s => s.TrailingStopDistancePct, (s, v) => s with { TrailingStopDistancePct = v.GetDecimal() }),
        Ranged("daily_loss_limit_pct", ConfigValueKind.Decimal, "Realized loss of the KST day in % of starting equity that halts trading.",
            s => s.DailyLossLimitPct, (s, v) => s with { DailyLossLimitPct = v.GetDecimal() }),
        Ranged("volatility_threshold_pct", ConfigValueKind.Decimal, "5-minute range in % above which entries pause.",
            s => s.VolatilityThresholdPct, (s, v) => s with { VolatilityThresholdPct = v.GetDecimal() }),
        Ranged("trade_cooldown_minutes", ConfigValueKind.Integer, "Minutes after a trade before the next entry.",
            s => s.TradeCooldownMinutes, (s, v) => s with { TradeCooldownMinutes = v.GetInt32() }),
        Ranged("signal_buy_threshold", ConfigValueKind.Decimal, "action_score at or above which the signal is BUY.",
            s => s.SignalBuyThreshold, (s, v) => s with { SignalBuyThreshold = v.GetDecimal() }),
        Ranged("signal_sell_threshold", ConfigValueKind.Decimal, "action_score at or below which the signal is SELL.",
            s => s.SignalSellThreshold, (s, v) => s with { SignalSellThreshold = v.GetDecimal() }),
        new("ai_model", ConfigValueKind.Text, null, null, "Gemini model name, e.g. gemini-2.5-flash.",
            s => s.AiModel, (s, v) => s with { AiModel = v.GetString()! }),
        Ranged("min_hit_rate", ConfigValueKind.Decimal,
            "Entries pause while the 4 h hit rate of the last hit_rate_sample_size evaluated BUY/SELL signals is below this (0 = off, the override).",
            s => s.MinHitRate, (s, v) => s with { MinHitRate = v.GetDecimal() }),
        Ranged("hit_rate_sample_size", ConfigValueKind.Integer, "Evaluated signals the hit rate is measured over; fewer and the gate does not act.",
            s => s.HitRateSampleSize, (s, v) => s with { HitRateSampleSize = v.GetInt32() }),
        Ranged("ai_daily_budget_usd", ConfigValueKind.Decimal, "AI spend cap per UTC day in USD; over it the technical provider runs (0 = no AI).",
            s => s.AiDailyBudgetUsd, (s, v) => s with { AiDailyBudgetUsd = v.GetDecimal() }),
        new("ai_shadow_model", ConfigValueKind.Text, null, null,
            "Shadow provider run beside the primary and never traded: none, technical or a Gemini model name.",
            s => s.AiShadowModel, (s, v) => s with { AiShadowModel = v.GetString()! }),
    ];

    public const int MaxModelNameLength = 100;

    // Ranges come from Core's validator, the one table the risk rules also check stored values against.
    private static ConfigSettingRule Ranged(
        string key, ConfigValueKind kind, string description, Func<RiskSettings, object> read, Func<RiskSettings, JsonElement, RiskSettings> apply)
    {
        var range = RiskSettingsValidator.RangeOf(key) ?? throw new InvalidOperationException($"Core has no range for '{key}'.");
        return new ConfigSettingRule(key, kind, range.Min, range.Max, description, read, apply);
    }

    public static ConfigSettingRule? Find(string key) => All.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal));

    /// <summary>
    /// Checks a value's JSON type and range. On success <paramref name="normalizedJson"/> is what to store (numbers in
    /// invariant form); on failure <paramref name="error"/> names the rule broken.
    /// </summary>
    public static bool TryNormalize(ConfigSettingRule rule, JsonElement value, out string normalizedJson, out string error)
    {
        ArgumentNullException.ThrowIfNull(rule);
        normalizedJson = "";
        error = "";
        switch (rule.Kind)
        {
            case ConfigValueKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                normalizedJson = value.ValueKind == JsonValueKind.True ? "true" : "false";
                return true;
            case ConfigValueKind.Boolean:
                error = $"'{rule.Key}' must be true or false.";
                return false;
            case ConfigValueKind.Decimal or ConfigValueKind.Integer:
                return TryNormalizeNumber(rule, value, out normalizedJson, out error);
            case ConfigValueKind.Text when value.ValueKind == JsonValueKind.String
                                           && value.GetString() is { } text && ModelNamePattern().IsMatch(text):
                normalizedJson = JsonSerializer.Serialize(text);
                return true;
            default:
                error = $"'{rule.Key}' must be a model name of 1 to {MaxModelNameLength} letters, digits, '.', '_' or '-'.";
                return false;
        }
    }

    /// <summary>Settings that are each in range but contradict one another; <paramref name="settings"/> is the result of the change.</summary>
    public static IEnumerable<(string Key, string Message)> CrossFieldErrors(RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PositionSizeMinPct > settings.PositionSizeMaxPct)
        {
            yield return ("position_size_min_pct", "'position_size_min_pct' must not exceed 'position_size_max_pct'.");
        }
    }

    /// <summary>Applies stored entries over the defaults; a stored value that no longer validates is ignored (the default holds).</summary>
    public static RiskSettings ToSettings(IEnumerable<ConfigEntry> entries)
    {
        var settings = new RiskSettings();
        foreach (var entry in entries)
        {
            if (Find(entry.Key) is { } rule && TryParseStored(rule, entry.ValueJson, out var value))
            {
                settings = rule.Apply(settings, value);
            }
        }
        return settings;
    }

    public static bool TryParseStored(ConfigSettingRule rule, string valueJson, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(rule);
        value = default;
        try
        {
            using var document = JsonDocument.Parse(valueJson);
            if (!TryNormalize(rule, document.RootElement, out var normalized, out _))
            {
                return false;
            }
            using var normalizedDocument = JsonDocument.Parse(normalized);
            value = normalizedDocument.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryNormalizeNumber(ConfigSettingRule rule, JsonElement value, out string normalizedJson, out string error)
    {
        normalizedJson = "";
        var range = string.Create(CultureInfo.InvariantCulture, $"from {rule.Min} to {rule.Max}");
        var kindName = rule.Kind == ConfigValueKind.Integer ? "an integer" : "a number";
        error = $"'{rule.Key}' must be {kindName} {range}.";
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            return false;
        }
        if (rule.Kind == ConfigValueKind.Integer && number != decimal.Truncate(number))
        {
            return false;
        }
        if (number < rule.Min || number > rule.Max)
        {
            return false;
        }
        normalizedJson = rule.Kind == ConfigValueKind.Integer
            ? ((int)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
        error = "";
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();
}
