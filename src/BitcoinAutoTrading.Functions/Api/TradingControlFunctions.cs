using System.Text.Json;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// The kill switch (SPEC §7 admin): halting sets <c>trading_enabled=false</c>, so no entry or signal sell starts while
/// protective exits keep running; resuming sets it back. Each is a KILL_SWITCH risk event and a notification.
/// </summary>
public sealed partial class TradingControlFunctions(
    ISystemConfigRepository config,
    IRiskEventRepository riskEvents,
    IDailyStatsRepository dailyStats,
    INotifier notifier,
    IRiskSettingsProvider settingsProvider,
    TimeProvider timeProvider,
    ILogger<TradingControlFunctions> logger)
{
    public const int MaxReasonLength = 200;
    private const string ReasonField = "reason";

    [Function("HaltTrading")]
    public Task<IActionResult> Halt(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "trading/halt")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, ct => ChangeAsync(request, enable: false, ct));

    [Function("ResumeTrading")]
    public Task<IActionResult> Resume(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "trading/resume")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, ct => ChangeAsync(request, enable: true, ct));

    private async Task<IActionResult> ChangeAsync(HttpRequest request, bool enable, CancellationToken ct)
    {
        // A halt must say why (it is what the trader reads at 3 a.m.); a resume may.
        using var body = await ApiJsonBody.ReadObjectAsync(request, allowEmpty: enable, ct).ConfigureAwait(false);
        if (body.Error is not null)
        {
            return body.Problem(request);
        }
        var query = new ApiQuery(request);
        var reason = ReadReason(body.Root, query, required: !enable);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var now = timeProvider.GetUtcNow();
        await config.SetAsync(
            "trading_enabled", enable ? "true" : "false", enable ? "api:resume" : "api:halt", ct).ConfigureAwait(false);
        var eventId = await riskEvents.InsertAsync(new NewRiskEvent
        {
            Type = RiskEventType.KillSwitch,
            ActionTaken = enable ? "trading resumed" : "trading halted",
            DetailsJson = JsonSerializer.Serialize(new KillSwitchDetails(enable ? "resume" : "halt", reason, "api"), JsonSerializerOptions.Web),
            CreatedAt = now,
        }, ct).ConfigureAwait(false);
        BatTelemetry.RiskEvents.Add(1, new KeyValuePair<string, object?>("type", "KILL_SWITCH"));
        await settingsProvider.InvalidateAsync(ct).ConfigureAwait(false);
        LogKillSwitch(logger, enable ? "resumed" : "halted", eventId);
        await notifier.NotifyAsync(
            enable ? $"Trading resumed through the API{(reason is null ? "" : $": {reason}")}" : $"Trading halted through the API: {reason}",
            enable ? NotificationSeverity.Info : NotificationSeverity.Critical, ct).ConfigureAwait(false);

        var today = KstClock.TradingDay(now);
        var dailyHalted = DailyHalt.InForce(
            await dailyStats.GetAsync(today, ct).ConfigureAwait(false),
            await dailyStats.GetAsync(today.AddDays(-1), ct).ConfigureAwait(false)) is not null;
        return new OkObjectResult(new TradingStateResponse(enable, reason, eventId, now, dailyHalted, enable && !dailyHalted));
    }

    private static string? ReadReason(JsonElement? root, ApiQuery errors, bool required)
    {
        string? reason = null;
        var seen = false;
        if (root is { } body)
        {
            foreach (var property in body.EnumerateObject())
            {
                if (!property.NameEquals(ReasonField))
                {
                    errors.AddError(property.Name, $"Unknown field; the only field is '{ReasonField}'.");
                    continue;
                }
                if (seen)
                {
                    errors.AddError(ReasonField, $"'{ReasonField}' must be given once.");
                    continue;
                }
                seen = true;
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()!.Trim() : null;
                if (text is null || text.Length is 0 or > MaxReasonLength || text.Any(char.IsControl))
                {
                    errors.AddError(ReasonField, $"'{ReasonField}' must be text of 1 to {MaxReasonLength} characters without control characters.");
                    continue;
                }
                reason = text;
            }
        }
        if (required && !seen)
        {
            errors.AddError(ReasonField, $"'{ReasonField}' is required.");
        }
        return reason;
    }

    private sealed record KillSwitchDetails(string Action, string? Reason, string Source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trading {Action} through the API (risk event {RiskEventId})")]
    private static partial void LogKillSwitch(ILogger logger, string action, long riskEventId);
}
