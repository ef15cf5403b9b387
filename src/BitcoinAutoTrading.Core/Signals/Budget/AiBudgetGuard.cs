using System.Globalization;
using BitcoinAutoTrading.Core.Signals.Providers;

namespace BitcoinAutoTrading.Core.Signals.Budget;

/// <summary>Whether a model may be called now; <see cref="Reason"/> says why not, and is stored on the signal.</summary>
public sealed record AiCallPermit(bool Allowed, string? Reason, decimal? SpentTodayUsd)
{
    public static AiCallPermit Deny(string reason, decimal? spent = null) => new(false, reason, spent);
}

/// <summary>The day's AI spend against <c>ai_daily_budget_usd</c>, per UTC day, across every model and instance.</summary>
public sealed record AiSpendDay(DateOnly Day, decimal SpentUsd, IReadOnlyList<string> UnpricedModels);

/// <summary>
/// The spend cap and quota gate checked before each model call (issue #16): budget 0 means no AI; a model whose price
/// is unknown is not called under a cap (its cost could not be counted); a per-day quota block stops calls until the
/// quota's UTC day ends; otherwise the day's spend (tokens × the price table, thinking at the output price) must be
/// under the budget. Primary and shadow check on their own, so a run may overshoot by at most its own calls.
/// </summary>
public sealed class AiBudgetGuard(IAiSpendRepository repository, AiPriceTable prices, TimeProvider clock)
{
    public async Task<AiCallPermit> CheckAsync(string model, decimal dailyBudgetUsd, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (dailyBudgetUsd <= 0)
        {
            return AiCallPermit.Deny("ai_daily_budget_usd is 0: AI calls are off");
        }
        var now = clock.GetUtcNow();
        var block = await repository.GetQuotaBlockAsync(SignalProviderNames.Gemini, model, now, cancellationToken).ConfigureAwait(false);
        if (block is not null)
        {
            return AiCallPermit.Deny(string.Create(CultureInfo.InvariantCulture,
                $"per-day quota of {model} exhausted until {block.BlockedUntil:yyyy-MM-ddTHH:mm:ssZ} ({block.Reason})"));
        }
        if (prices.Find(model) is null)
        {
            return AiCallPermit.Deny(
                $"price of {model} is unknown, so the daily budget cannot be enforced (set Gemini__Prices__{AiPriceTable.SettingKey(model)}__InputPerMillion and __OutputPerMillion)");
        }
        var spend = await GetSpendAsync(now, cancellationToken).ConfigureAwait(false);
        if (spend.SpentUsd >= dailyBudgetUsd)
        {
            return AiCallPermit.Deny(string.Create(CultureInfo.InvariantCulture,
                $"daily AI budget spent: ${spend.SpentUsd:0.######} of ${dailyBudgetUsd:0.######} today (UTC)"), spend.SpentUsd);
        }
        return new AiCallPermit(true, null, spend.SpentUsd);
    }

    /// <summary>The spend of the UTC day containing <paramref name="now"/>; models without a price are listed, not counted as free.</summary>
    public async Task<AiSpendDay> GetSpendAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var dayStart = DayStart(now);
        var rows = await repository.GetSpendAsync(dayStart, dayStart.AddDays(1), cancellationToken).ConfigureAwait(false);
        var spent = 0m;
        var unpriced = new List<string>();
        foreach (var row in rows)
        {
            if (prices.EstimateUsd(row.Model, row.InputTokens, row.OutputTokens, row.ThinkingTokens) is { } cost)
            {
                spent += cost;
            }
            else if (row.InputTokens + row.OutputTokens + row.ThinkingTokens > 0)
            {
                unpriced.Add(row.Model);
            }
        }
        return new AiSpendDay(DateOnly.FromDateTime(dayStart.UtcDateTime), spent, unpriced);
    }

    /// <summary>A per-day quota error: no calls to the model until the UTC day ends (no retries against it).</summary>
    public Task BlockForTodayAsync(string model, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var until = DayStart(clock.GetUtcNow()).AddDays(1);
        return repository.SetQuotaBlockAsync(new AiQuotaBlock(SignalProviderNames.Gemini, model, until, reason), cancellationToken);
    }

    private static DateTimeOffset DayStart(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }
}
