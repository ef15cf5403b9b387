using BitcoinAutoTrading.Core.Signals;
namespace BitcoinAutoTrading.Functions.Api;

/// <summary>One provider and model on one UTC day; cost is null when the model's price is unknown.</summary>
public sealed record AiUsageEntryResponse(
    string Provider,
    string? ModelName,
    int Signals,
    int Fallbacks,
    long InputTokens,
    long OutputTokens,
    long ThinkingTokens,
    decimal? EstimatedCostUsd);

public sealed record AiUsageDayResponse(
    DateOnly Day,
    int Signals,
    long InputTokens,
    long OutputTokens,
    long ThinkingTokens,
    decimal? EstimatedCostUsd,
    IReadOnlyList<AiUsageEntryResponse> Entries);

/// <summary>
/// Days newest first (days without signals are absent), the totals, and the price table used. A total is null (unknown)
/// when any part of it used a model without a price. <c>DailyBudgetUsd</c> is the <c>ai_daily_budget_usd</c> cap in force
/// (0 = no AI) and <c>SpentTodayUsd</c> the current UTC day's estimated spend against it (null when a price is unknown).
/// </summary>
public sealed record AiUsageResponse(
    int Days,
    DateTimeOffset Since,
    long TotalInputTokens,
    long TotalOutputTokens,
    long TotalThinkingTokens,
    decimal? TotalEstimatedCostUsd,
    decimal DailyBudgetUsd,
    decimal? SpentTodayUsd,
    IReadOnlyList<AiModelPrice> Pricing,
    IReadOnlyList<AiUsageDayResponse> Items);
