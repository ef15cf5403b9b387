using System.ComponentModel;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Runtime-tunable settings (SPEC §5.1) as stored in <c>system_config</c> (one key per property, snake_case).
/// Defaults here apply to any key not stored. The mode Paper/Live is deployment configuration, not here.
/// </summary>
// Immutable, so the settings cache may hand out the one instance instead of a copy per read.
[ImmutableObject(true)]
public sealed record RiskSettings
{
    public bool TradingEnabled { get; init; } = true;
    public decimal MinConfidence { get; init; } = 0.6m;
    public decimal PositionSizeMinPct { get; init; } = 10m;
    public decimal PositionSizeMaxPct { get; init; } = 25m;
    public decimal MaxExposurePct { get; init; } = 50m;
    public decimal StopLossPct { get; init; } = 5m;
    public decimal TakeProfitPct { get; init; } = 8m;
    public decimal TrailingStopActivationPct { get; init; } = 3m;
    public decimal TrailingStopDistancePct { get; init; } = 1.5m;
    public decimal DailyLossLimitPct { get; init; } = 5m;
    public decimal VolatilityThresholdPct { get; init; } = 3m;
    public int TradeCooldownMinutes { get; init; } = 30;
    public decimal SignalBuyThreshold { get; init; } = 0.30m;
    public decimal SignalSellThreshold { get; init; } = -0.20m;
    public string AiModel { get; init; } = "gemini-2.5-flash";

    // Issue #16: signal quality gate, AI spend cap and shadow model.
    public decimal MinHitRate { get; init; } = 0.40m;
    public int HitRateSampleSize { get; init; } = 20;
    public decimal AiDailyBudgetUsd { get; init; } = 1.00m;
    public string AiShadowModel { get; init; } = AiShadow.None;
}

/// <summary>The special values of <c>ai_shadow_model</c>; anything else is a Gemini model name.</summary>
public static class AiShadow
{
    public const string None = "none";
    public const string Technical = "technical";
}

/// <summary>
/// Reads <see cref="RiskSettings"/>: one snapshot per job run (<see cref="RiskSettingsRun"/>), fresh from the database
/// at the run's first ask, so a change made on any instance is in force on every instance from its next run.
/// </summary>
public interface IRiskSettingsProvider
{
    Task<RiskSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The kill switch as stored right now, never from a snapshot: a halt made on any instance stops the very next
    /// entry or signal sell everywhere, even one decided late in a run that began before the halt.
    /// </summary>
    Task<bool> IsTradingEnabledAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops the current run's snapshot after the run changed the settings.</summary>
    Task InvalidateAsync(CancellationToken cancellationToken = default);
}
