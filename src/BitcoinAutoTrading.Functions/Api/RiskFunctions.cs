using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Whether the system may trade now and why not, and the recorded risk events (SPEC §7, §5).</summary>
public sealed class RiskFunctions(
    IDailyStatsRepository dailyStats,
    IRiskEventRepository riskEvents,
    IRiskSettingsProvider settingsProvider,
    TimeProvider timeProvider,
    ILogger<RiskFunctions> logger)
{
    public const int MinLimit = 1;
    public const int MaxLimit = 100;
    public const int DefaultLimit = 20;

    [Function("GetRiskStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "risk/status")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            // The provider's view is what the risk engine acts on.
            var settings = await settingsProvider.GetAsync(ct).ConfigureAwait(false);
            var today = KstClock.TradingDay(timeProvider.GetUtcNow());
            var day = await dailyStats.GetAsync(today, ct).ConfigureAwait(false);
            // As the risk engine judges it: yesterday's halt holds until the roll (00:00–00:05 KST).
            var haltedDay = DailyHalt.InForce(day, await dailyStats.GetAsync(today.AddDays(-1), ct).ConfigureAwait(false));
            var halted = haltedDay is not null;
            decimal? pnlPct = day is { StartingEquityKrw: > 0 }
                ? Math.Round(day.RealizedPnlKrw / day.StartingEquityKrw * 100m, 4)
                : null;
            return new OkObjectResult(new RiskStatusResponse(
                settings.TradingEnabled, halted, haltedDay?.HaltReason, settings.TradingEnabled && !halted, today,
                day?.StartingEquityKrw, day?.RealizedPnlKrw, pnlPct, RiskStatusResponse.SettingsFromDatabase,
                RiskSettingsResponse.From(settings)));
        });

    [Function("ListRiskEvents")]
    public Task<IActionResult> Events(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "risk/events")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var limit = query.Int("limit", MinLimit, MaxLimit, DefaultLimit);
            var type = query.OptionalEnum<RiskEventType>("type", WireCase.UpperSnake);
            var before = query.OptionalId("before");
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var page = await riskEvents.ListAsync(limit, type, before, ct).ConfigureAwait(false);
            return new OkObjectResult(new RiskEventListResponse(
                limit, type?.ToWire(WireCase.UpperSnake), page.Count == limit ? page[^1].Id : null,
                page.Select(RiskEventResponse.From).ToList()));
        });
}
