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
/// The range table for PATCH /api/config (SPEC §5.1). Where the spec gives a range it is used as written; where it
/// gives none, the range is the widest a careful trader would still call sane (a percentage of equity cannot exceed
/// 100, a stop cannot be zero, a buy threshold must stay above the sell threshold).
/// </summary>
public static partial class ConfigSettingRules
{
    public static IReadOnlyList<ConfigSettingRule> All { get; } =
    [
        new("trading_enabled", ConfigValueKind.Boolean, null, null, "Master switch for new entries and signal sells.",
            s => s.TradingEnabled, (s, v) => s with { TradingEnabled = v.GetBoolean() }),
        new("min_confidence", ConfigValueKind.Decimal, 0m, 1m, "Lowest signal confidence that may open a position.",
            s => s.MinConfidence, (s, v) => s with { MinConfidence = v.GetDecimal() }),
        new("position_size_min_pct", ConfigValueKind.Decimal, 1m, 100m, "Order size in % of equity at zero confidence.",
            s => s.PositionSizeMinPct, (s, v) => s with { PositionSizeMinPct = v.GetDecimal() }),
        new("position_size_max_pct", ConfigValueKind.Decimal, 1m, 100m, "Order size in % of equity at full confidence.",
            s => s.PositionSizeMaxPct, (s, v) => s with { PositionSizeMaxPct = v.GetDecimal() }),
        new("max_exposure_pct", ConfigValueKind.Decimal, 1m, 100m, "Largest position value in % of equity.",
            s => s.MaxExposurePct, (s, v) => s with { MaxExposurePct = v.GetDecimal() }),
        new("stop_loss_pct", ConfigValueKind.Decimal, 1m, 20m, "Loss from entry in % that triggers the stop-loss exit.",
            s => s.StopLossPct, (s, v) => s with { StopLossPct = v.GetDecimal() }),
        new("take_profit_pct", ConfigValueKind.Decimal, 0.5m, 100m, "Gain from entry in % that triggers the take-profit exit.",
            s => s.TakeProfitPct, (s, v) => s with { TakeProfitPct = v.GetDecimal() }),
        new("trailing_stop_activation_pct", ConfigValueKind.Decimal, 0.1m, 50m, "Gain from entry in % that arms the trailing stop.",
            s => s.TrailingStopActivationPct, (s, v) => s with { TrailingStopActivationPct = v.GetDecimal() }),
        new("trailing_stop_distance_pct", ConfigValueKind.Decimal, 0.1m, 20m, "Fall from the peak in % that fires the armed trailing stop.",
            s => s.TrailingStopDistancePct, (s, v) => s with { TrailingStopDistancePct = v.GetDecimal() }),
        new("daily_loss_limit_pct", ConfigValueKind.Decimal, 0.5m, 50m, "Realized loss of the KST day in % of starting equity that halts trading.",
            s => s.DailyLossLimitPct, (s, v) => s with { DailyLossLimitPct = v.GetDecimal() }),
        new("volatility_threshold_pct", ConfigValueKind.Decimal, 0.1m, 50m, "5-minute range in % above which entries pause.",
            s => s.VolatilityThresholdPct, (s, v) => s with { VolatilityThresholdPct = v.GetDecimal() }),
        new("trade_cooldown_minutes", ConfigValueKind.Integer, 0m, 1440m, "Minutes after a trade before the next entry.",
            s => s.TradeCooldownMinutes, (s, v) => s with { TradeCooldownMinutes = v.GetInt32() }),
        new("signal_buy_threshold", ConfigValueKind.Decimal, 0.01m, 1m, "action_score at or above which the signal is BUY.",
            s => s.SignalBuyThreshold, (s, v) => s with { SignalBuyThreshold = v.GetDecimal() }),
        new("signal_sell_threshold", ConfigValueKind.Decimal, -1m, -0.01m, "action_score at or below which the signal is SELL.",
            s => s.SignalSellThreshold, (s, v) => s with { SignalSellThreshold = v.GetDecimal() }),
        new("ai_model", ConfigValueKind.Text, null, null, "Gemini model name, e.g. gemini-2.5-flash.",
            s => s.AiModel, (s, v) => s with { AiModel = v.GetString()! }),
    ];

    public const int MaxModelNameLength = 100;

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
