namespace BitcoinAutoTrading.Core.Risk;

public static class RiskEventTypeNames
{
    /// <summary>The stored and reported name (SPEC §3), e.g. STOP_LOSS; also the tag of <c>bat.risk.events</c>.</summary>
    public static string ToWire(this RiskEventType type) => type switch
    {
        RiskEventType.StopLoss => "STOP_LOSS",
        RiskEventType.TakeProfit => "TAKE_PROFIT",
        RiskEventType.TrailingStop => "TRAILING_STOP",
        RiskEventType.DailyLimit => "DAILY_LIMIT",
        RiskEventType.PositionLimit => "POSITION_LIMIT",
        RiskEventType.VolatilityHalt => "VOLATILITY_HALT",
        RiskEventType.LowConfidence => "LOW_CONFIDENCE",
        RiskEventType.Cooldown => "COOLDOWN",
        RiskEventType.KillSwitch => "KILL_SWITCH",
        RiskEventType.SystemError => "SYSTEM_ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown risk event type."),
    };
}
