using System.Text.Json;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Every SPEC §5.1 setting with the value in force: the stored one where valid, else the default.</summary>
public sealed record EffectiveConfig(IReadOnlyList<EffectiveSetting> Settings, RiskSettings RiskSettings)
{
    public static async Task<EffectiveConfig> ReadAsync(ISystemConfigRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var stored = (await repository.GetAllAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Key, StringComparer.Ordinal);
        var settings = new List<EffectiveSetting>(ConfigSettingRules.All.Count);
        foreach (var rule in ConfigSettingRules.All)
        {
            using var defaultDocument = JsonDocument.Parse(rule.DefaultJson);
            var defaultValue = defaultDocument.RootElement.Clone();
            if (stored.TryGetValue(rule.Key, out var entry) && ConfigSettingRules.TryParseStored(rule, entry.ValueJson, out var value))
            {
                settings.Add(new EffectiveSetting(rule, value, defaultValue, IsStored: true, entry.UpdatedAt, entry.UpdatedBy));
            }
            else
            {
                settings.Add(new EffectiveSetting(rule, defaultValue, defaultValue, IsStored: false, null, null));
            }
        }
        return new EffectiveConfig(settings, ConfigSettingRules.ToSettings(stored.Values));
    }
}

public sealed record EffectiveSetting(
    ConfigSettingRule Rule, JsonElement Value, JsonElement DefaultValue, bool IsStored, DateTimeOffset? UpdatedAt, string? UpdatedBy);
