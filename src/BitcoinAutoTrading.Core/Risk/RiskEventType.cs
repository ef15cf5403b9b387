namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Why a risk rule acted (SPEC §3); stored as the upper-snake names, e.g. STOP_LOSS.</summary>
public enum RiskEventType
{
    StopLoss = 1,
    TakeProfit = 2,
    TrailingStop = 3,
    DailyLimit = 4,
    PositionLimit = 5,
    VolatilityHalt = 6,
    LowConfidence = 7,
    Cooldown = 8,
    KillSwitch = 9,
    SystemError = 10,
}
