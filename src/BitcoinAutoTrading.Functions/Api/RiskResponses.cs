using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>The risk settings in force (SPEC §5.1), as the risk engine reads them.</summary>
public sealed record RiskSettingsResponse(
    bool TradingEnabled,
    decimal MinConfidence,
    decimal PositionSizeMinPct,
    decimal PositionSizeMaxPct,
    decimal MaxExposurePct,
    decimal StopLossPct,
    decimal TakeProfitPct,
    decimal TrailingStopActivationPct,
    decimal TrailingStopDistancePct,
    decimal DailyLossLimitPct,
    decimal VolatilityThresholdPct,
    int TradeCooldownMinutes,
    decimal SignalBuyThreshold,
    decimal SignalSellThreshold,
    string AiModel)
{
    public static RiskSettingsResponse From(RiskSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(
            s.TradingEnabled, s.MinConfidence, s.PositionSizeMinPct, s.PositionSizeMaxPct, s.MaxExposurePct, s.StopLossPct,
            s.TakeProfitPct, s.TrailingStopActivationPct, s.TrailingStopDistancePct, s.DailyLossLimitPct,
            s.VolatilityThresholdPct, s.TradeCooldownMinutes, s.SignalBuyThreshold, s.SignalSellThreshold, s.AiModel);
    }
}

/// <summary>
/// Whether new entries may open now: trading must be enabled and today's (KST) daily-loss halt not set.
/// Protective exits run regardless (SPEC §5.3).
/// </summary>
public sealed record RiskStatusResponse(
    bool TradingEnabled,
    bool DailyHalted,
    string? DailyHaltReason,
    bool EntriesAllowed,
    DateOnly TradeDate,
    decimal? StartingEquityKrw,
    decimal? RealizedPnlKrw,
    decimal? RealizedPnlPct,
    string SettingsSource,
    RiskSettingsResponse Settings)
{
    /// <summary>
    /// Where the settings shown come from: system_config, read fresh for this request (the per-run snapshot of issue #12;
    /// no per-process cache any more), so every instance answers the same.
    /// </summary>
    public const string SettingsFromDatabase = "database";
}

public sealed record RiskEventResponse(
    long Id,
    string EventType,
    long? OrderId,
    long? SignalId,
    decimal? TriggerValue,
    decimal? ThresholdValue,
    string ActionTaken,
    System.Text.Json.JsonElement? Details,
    DateTimeOffset CreatedAt,
    bool Notified)
{
    public static RiskEventResponse From(RiskEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        System.Text.Json.JsonElement? details = null;
        if (!string.IsNullOrWhiteSpace(e.DetailsJson))
        {
            using var document = System.Text.Json.JsonDocument.Parse(e.DetailsJson);
            details = document.RootElement.Clone();
        }
        return new(e.Id, e.Type.ToWire(WireCase.UpperSnake), e.OrderId, e.SignalId, e.TriggerValue, e.ThresholdValue,
            e.ActionTaken, details, e.CreatedAt, e.Notified);
    }
}

public sealed record RiskEventListResponse(int Limit, string? Type, long? NextBefore, IReadOnlyList<RiskEventResponse> Items);
