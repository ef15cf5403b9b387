namespace BitcoinAutoTrading.Core.Risk;

/// <summary>The <c>system_config</c> keys of <see cref="RiskSettings"/> (SPEC §5.1), as the API and the table spell them.</summary>
public static class RiskSettingKeys
{
    public const string TradingEnabled = "trading_enabled";
    public const string MinConfidence = "min_confidence";
    public const string PositionSizeMinPct = "position_size_min_pct";
    public const string PositionSizeMaxPct = "position_size_max_pct";
    public const string MaxExposurePct = "max_exposure_pct";
    public const string StopLossPct = "stop_loss_pct";
    public const string TakeProfitPct = "take_profit_pct";
    public const string TrailingStopActivationPct = "trailing_stop_activation_pct";
    public const string TrailingStopDistancePct = "trailing_stop_distance_pct";
    public const string DailyLossLimitPct = "daily_loss_limit_pct";
    public const string VolatilityThresholdPct = "volatility_threshold_pct";
    public const string TradeCooldownMinutes = "trade_cooldown_minutes";
    public const string SignalBuyThreshold = "signal_buy_threshold";
    public const string SignalSellThreshold = "signal_sell_threshold";
    public const string AiModel = "ai_model";
    public const string MinHitRate = "min_hit_rate";
    public const string HitRateSampleSize = "hit_rate_sample_size";
    public const string AiDailyBudgetUsd = "ai_daily_budget_usd";
    public const string AiShadowModel = "ai_shadow_model";

    public static IReadOnlyList<string> All { get; } =
    [
        TradingEnabled, MinConfidence, PositionSizeMinPct, PositionSizeMaxPct, MaxExposurePct, StopLossPct,
        TakeProfitPct, TrailingStopActivationPct, TrailingStopDistancePct, DailyLossLimitPct, VolatilityThresholdPct,
        TradeCooldownMinutes, SignalBuyThreshold, SignalSellThreshold, AiModel,
        MinHitRate, HitRateSampleSize, AiDailyBudgetUsd, AiShadowModel,
    ];
}
