using System.Text.Json;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>The result of reading <c>system_config</c>: the settings, and any stored value that was ignored and why.</summary>
public sealed record RiskSettingsReadResult(RiskSettings Settings, IReadOnlyList<RiskSettingError> Ignored);

/// <summary>Maps between <see cref="RiskSettings"/> and the JSON values stored per key in <c>system_config</c>.</summary>
public static class RiskSettingsJson
{
    /// <summary>
    /// Builds the settings from stored rows: defaults for keys not stored, and also for a stored value that fails
    /// validation (reported in <see cref="RiskSettingsReadResult.Ignored"/>) so one bad row can never loosen a rule
    /// beyond its allowed range. Rows with other keys belong to other features and are skipped silently.
    /// </summary>
    public static RiskSettingsReadResult FromEntries(IEnumerable<ConfigEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var known = new HashSet<string>(RiskSettingKeys.All, StringComparer.Ordinal);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var ignored = new List<RiskSettingError>();
        foreach (var entry in entries.Where(e => known.Contains(e.Key)))
        {
            JsonElement value;
            try
            {
                using var document = JsonDocument.Parse(entry.ValueJson);
                value = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                ignored.Add(new RiskSettingError(entry.Key, "stored value is not JSON"));
                continue;
            }

            if (RiskSettingsValidator.ValidateField(entry.Key, value) is { } error)
            {
                ignored.Add(new RiskSettingError(entry.Key, error));
                continue;
            }
            values[entry.Key] = value;
        }

        var settings = Apply(new RiskSettings(), values);
        if (settings.PositionSizeMinPct > settings.PositionSizeMaxPct)
        {
            // Both values are in range but contradict each other: fall back to the defaults of both rather than guess.
            ignored.Add(new RiskSettingError(RiskSettingKeys.PositionSizeMinPct, "exceeds position_size_max_pct"));
            var defaults = new RiskSettings();
            settings = settings with
            {
                PositionSizeMinPct = defaults.PositionSizeMinPct,
                PositionSizeMaxPct = defaults.PositionSizeMaxPct,
            };
        }
        return new RiskSettingsReadResult(settings, ignored);
    }

    /// <summary>Returns <paramref name="current"/> with the given values applied; the values must have passed <see cref="RiskSettingsValidator"/>.</summary>
    public static RiskSettings Apply(RiskSettings current, IReadOnlyDictionary<string, JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(values);
        var settings = current;
        foreach (var (key, value) in values)
        {
            settings = key switch
            {
                RiskSettingKeys.TradingEnabled => settings with { TradingEnabled = value.GetBoolean() },
                RiskSettingKeys.MinConfidence => settings with { MinConfidence = value.GetDecimal() },
                RiskSettingKeys.PositionSizeMinPct => settings with { PositionSizeMinPct = value.GetDecimal() },
                RiskSettingKeys.PositionSizeMaxPct => settings with { PositionSizeMaxPct = value.GetDecimal() },
                RiskSettingKeys.MaxExposurePct => settings with { MaxExposurePct = value.GetDecimal() },
                RiskSettingKeys.StopLossPct => settings with { StopLossPct = value.GetDecimal() },
                RiskSettingKeys.TakeProfitPct => settings with { TakeProfitPct = value.GetDecimal() },
                RiskSettingKeys.TrailingStopActivationPct => settings with { TrailingStopActivationPct = value.GetDecimal() },
                RiskSettingKeys.TrailingStopDistancePct => settings with { TrailingStopDistancePct = value.GetDecimal() },
                RiskSettingKeys.DailyLossLimitPct => settings with { DailyLossLimitPct = value.GetDecimal() },
                RiskSettingKeys.VolatilityThresholdPct => settings with { VolatilityThresholdPct = value.GetDecimal() },
                // Validated as whole, so 30.0 is accepted and means 30.
                RiskSettingKeys.TradeCooldownMinutes => settings with { TradeCooldownMinutes = (int)value.GetDecimal() },
                RiskSettingKeys.SignalBuyThreshold => settings with { SignalBuyThreshold = value.GetDecimal() },
                RiskSettingKeys.SignalSellThreshold => settings with { SignalSellThreshold = value.GetDecimal() },
                RiskSettingKeys.AiModel => settings with { AiModel = value.GetString()! },
                RiskSettingKeys.MinHitRate => settings with { MinHitRate = value.GetDecimal() },
                RiskSettingKeys.HitRateSampleSize => settings with { HitRateSampleSize = (int)value.GetDecimal() },
                RiskSettingKeys.AiDailyBudgetUsd => settings with { AiDailyBudgetUsd = value.GetDecimal() },
                RiskSettingKeys.AiShadowModel => settings with { AiShadowModel = value.GetString()! },
                _ => throw new ArgumentException($"Unknown setting '{key}'.", nameof(values)),
            };
        }
        return settings;
    }

    /// <summary>Every setting as its stored JSON value, in <see cref="RiskSettingKeys.All"/> order (for the config API).</summary>
    public static IReadOnlyList<KeyValuePair<string, JsonElement>> ToValues(RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            Pair(RiskSettingKeys.TradingEnabled, settings.TradingEnabled),
            Pair(RiskSettingKeys.MinConfidence, settings.MinConfidence),
            Pair(RiskSettingKeys.PositionSizeMinPct, settings.PositionSizeMinPct),
            Pair(RiskSettingKeys.PositionSizeMaxPct, settings.PositionSizeMaxPct),
            Pair(RiskSettingKeys.MaxExposurePct, settings.MaxExposurePct),
            Pair(RiskSettingKeys.StopLossPct, settings.StopLossPct),
            Pair(RiskSettingKeys.TakeProfitPct, settings.TakeProfitPct),
            Pair(RiskSettingKeys.TrailingStopActivationPct, settings.TrailingStopActivationPct),
            Pair(RiskSettingKeys.TrailingStopDistancePct, settings.TrailingStopDistancePct),
            Pair(RiskSettingKeys.DailyLossLimitPct, settings.DailyLossLimitPct),
            Pair(RiskSettingKeys.VolatilityThresholdPct, settings.VolatilityThresholdPct),
            Pair(RiskSettingKeys.TradeCooldownMinutes, settings.TradeCooldownMinutes),
            Pair(RiskSettingKeys.SignalBuyThreshold, settings.SignalBuyThreshold),
            Pair(RiskSettingKeys.SignalSellThreshold, settings.SignalSellThreshold),
            Pair(RiskSettingKeys.AiModel, settings.AiModel),
            Pair(RiskSettingKeys.MinHitRate, settings.MinHitRate),
            Pair(RiskSettingKeys.HitRateSampleSize, settings.HitRateSampleSize),
            Pair(RiskSettingKeys.AiDailyBudgetUsd, settings.AiDailyBudgetUsd),
            Pair(RiskSettingKeys.AiShadowModel, settings.AiShadowModel),
        ];
    }

    private static KeyValuePair<string, JsonElement> Pair<T>(string key, T value) =>
        new(key, JsonSerializer.SerializeToElement(value));
}
