using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Per-day results: trading days (KST) and AI usage with estimated cost (UTC days) (SPEC §7).</summary>
public sealed class StatsFunctions(
    IDailyStatsRepository dailyStats, ISignalRepository signals, AiPriceTable prices, IRiskSettingsProvider settings,
    TimeProvider timeProvider, ILogger<StatsFunctions> logger)
{
    public const int MinDays = 1;
    public const int MaxDays = 365;
    public const int DefaultDays = 30;

    [Function("GetDailyStats")]
    public Task<IActionResult> Daily(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "stats/daily")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var days = query.Int("days", MinDays, MaxDays, DefaultDays);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var rows = await dailyStats.ListAsync(days, ct).ConfigureAwait(false);
            return new OkObjectResult(new DailyStatsListResponse(days, rows.Select(DailyStatsResponse.From).ToList()));
        });

    [Function("GetAiUsage")]
    public Task<IActionResult> AiUsage(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ai/usage")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var days = query.Int("days", MinDays, MaxDays, DefaultDays);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var now = timeProvider.GetUtcNow();
            var since = now.AddDays(-days);
            var usage = await signals.GetAiUsageAsync(since, ct).ConfigureAwait(false);
            var budget = (await settings.GetAsync(ct).ConfigureAwait(false)).AiDailyBudgetUsd;
            var items = usage
                .GroupBy(u => u.Day)
                .OrderByDescending(g => g.Key)
                .Select(g =>
                {
                    var entries = g.Select(u => new AiUsageEntryResponse(
                        u.Provider.ToWire(WireCase.LowerSnake), u.ModelName, u.Signals, u.Fallbacks, u.InputTokens,
                        u.OutputTokens, u.ThinkingTokens, EstimateUsd(u))).ToList();
                    return new AiUsageDayResponse(
                        g.Key, entries.Sum(e => e.Signals), entries.Sum(e => e.InputTokens), entries.Sum(e => e.OutputTokens),
                        entries.Sum(e => e.ThinkingTokens), SumOrUnknown(entries.Select(e => e.EstimatedCostUsd)), entries);
                })
                .ToList();
            // The cap is per UTC day, as the budget guard counts it: today's spend is today's row (none yet: nothing spent).
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var spentToday = items.FirstOrDefault(d => d.Day == today) is { } todayRow ? todayRow.EstimatedCostUsd : 0m;
            return new OkObjectResult(new AiUsageResponse(
                days, since, items.Sum(d => d.InputTokens), items.Sum(d => d.OutputTokens), items.Sum(d => d.ThinkingTokens),
                SumOrUnknown(items.Select(d => d.EstimatedCostUsd)), budget, spentToday, prices.Models, items));
        });

    /// <summary>An unknown part makes the whole unknown: a model without a price is never counted as free.</summary>
    private static decimal? SumOrUnknown(IEnumerable<decimal?> costs)
    {
        var total = 0m;
        foreach (var cost in costs)
        {
            if (cost is not { } known)
            {
                return null;
            }
            total += known;
        }
        return total;
    }

    private decimal? EstimateUsd(AiUsageDay usage) =>
        usage.Provider == SignalProviderKind.Technical && usage.InputTokens + usage.OutputTokens + usage.ThinkingTokens == 0
            ? 0m
            : prices.EstimateUsd(usage.ModelName, usage.InputTokens, usage.OutputTokens, usage.ThinkingTokens);
}
