using System.Text.Json;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>The kill switch after a halt or resume, with the risk event that records it.</summary>
public sealed record TradingStateResponse(
    bool TradingEnabled, string? Reason, long RiskEventId, DateTimeOffset ChangedAt, bool DailyHalted, bool EntriesAllowed);

/// <summary>One SPEC §5.1 setting: the value in force, its default, type and allowed range, and whether it is stored.</summary>
public sealed record ConfigSettingResponse(
    string Key,
    string Type,
    JsonElement Value,
    JsonElement DefaultValue,
    decimal? Min,
    decimal? Max,
    string Source,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy,
    string Description)
{
    public static ConfigSettingResponse From(EffectiveSetting s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(
            s.Rule.Key, s.Rule.Kind.ToWire(WireCase.LowerSnake), s.Value, s.DefaultValue, s.Rule.Min, s.Rule.Max,
            s.IsStored ? "stored" : "default", s.UpdatedAt, s.UpdatedBy, s.Rule.Description);
    }
}

public sealed record ConfigResponse(IReadOnlyList<ConfigSettingResponse> Settings)
{
    public static ConfigResponse From(EffectiveConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.Settings.Select(ConfigSettingResponse.From).ToList());
    }
}
