namespace BitcoinAutoTrading.Core.Signals;

/// <summary>How long after a signal its outcome is judged (SPEC §4.6). The value is the number of hours.</summary>
public enum EvaluationHorizon
{
    FourHours = 4,
    TwentyFourHours = 24,
}

public static class EvaluationHorizonExtensions
{
    public static TimeSpan ToTimeSpan(this EvaluationHorizon horizon) => horizon switch
    {
        EvaluationHorizon.FourHours => TimeSpan.FromHours(4),
        EvaluationHorizon.TwentyFourHours => TimeSpan.FromHours(24),
        _ => throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "Unknown evaluation horizon."),
    };
}
