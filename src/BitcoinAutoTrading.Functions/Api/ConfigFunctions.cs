using System.Text.Json;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Runtime settings (SPEC §5.1): read every key with the value in force; change any of them, all or nothing,
/// validated against <see cref="ConfigSettingRules"/>, audit-logged and with the settings cache invalidated.
/// </summary>
public sealed partial class ConfigFunctions(
    ISystemConfigRepository config,
    IRiskEventRepository riskEvents,
    INotifier notifier,
    IRiskSettingsProvider settingsProvider,
    TimeProvider timeProvider,
    ILogger<ConfigFunctions> logger)
{
    [Function("GetConfig")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "config")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
            new OkObjectResult(ConfigResponse.From(await EffectiveConfig.ReadAsync(config, ct).ConfigureAwait(false))));

    [Function("PatchConfig")]
    public Task<IActionResult> Patch(
        [HttpTrigger(AuthorizationLevel.Admin, "patch", Route = "config")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            using var body = await ApiJsonBody.ReadObjectAsync(request, allowEmpty: false, ct).ConfigureAwait(false);
            if (body.Error is not null)
            {
                return body.Problem(request);
            }

            var errors = new ApiQuery(request);
            var changes = new Dictionary<string, string>(StringComparer.Ordinal);
            var current = await EffectiveConfig.ReadAsync(config, ct).ConfigureAwait(false);
            var result = current.RiskSettings;
            foreach (var property in body.Root!.Value.EnumerateObject())
            {
                if (ConfigSettingRules.Find(property.Name) is not { } rule)
                {
                    errors.AddError(property.Name, "Unknown setting; GET /api/config lists the settings.");
                }
                else if (changes.ContainsKey(rule.Key))
                {
                    errors.AddError(rule.Key, $"'{rule.Key}' must be given once.");
                }
                else if (!ConfigSettingRules.TryNormalize(rule, property.Value, out var normalized, out var error))
                {
                    errors.AddError(rule.Key, error);
                }
                else
                {
                    changes[rule.Key] = normalized;
                    using var value = JsonDocument.Parse(normalized);
                    result = rule.Apply(result, value.RootElement);
                }
            }
            if (changes.Count == 0 && errors.IsValid)
            {
                errors.AddError(ApiJsonBody.Field, "Give at least one setting to change.");
            }
            if (errors.IsValid)
            {
                foreach (var (key, message) in ConfigSettingRules.CrossFieldErrors(result))
                {
                    errors.AddError(key, message);
                }
            }
            if (!errors.IsValid)
            {
                return errors.Problem();
            }

            await config.SetManyAsync(changes, "api", ct).ConfigureAwait(false);
            LogConfigChanged(logger, string.Join(", ", changes.Keys.Order(StringComparer.Ordinal)));
            if (result.TradingEnabled != current.RiskSettings.TradingEnabled)
            {
                await RecordKillSwitchAsync(result.TradingEnabled, ct).ConfigureAwait(false);
            }
            await settingsProvider.InvalidateAsync(ct).ConfigureAwait(false);
            return new OkObjectResult(ConfigResponse.From(await EffectiveConfig.ReadAsync(config, ct).ConfigureAwait(false)));
        });

    /// <summary>Flipping trading_enabled here is the kill switch too, so it leaves the same trail as POST trading/halt.</summary>
    private async Task RecordKillSwitchAsync(bool enabled, CancellationToken ct)
    {
        await riskEvents.InsertAsync(new NewRiskEvent
        {
            Type = RiskEventType.KillSwitch,
            ActionTaken = enabled ? "trading resumed" : "trading halted",
            DetailsJson = """{"source": "api", "route": "PATCH /api/config"}""",
            CreatedAt = timeProvider.GetUtcNow(),
        }, ct).ConfigureAwait(false);
        BatTelemetry.RiskEvents.Add(1, new KeyValuePair<string, object?>("type", "KILL_SWITCH"));
        await notifier.NotifyAsync(
            enabled ? "Trading resumed through PATCH /api/config" : "Trading halted through PATCH /api/config",
            enabled ? NotificationSeverity.Info : NotificationSeverity.Critical, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: configuration changed through the API: {Keys}")]
    private static partial void LogConfigChanged(ILogger logger, string keys);
}
