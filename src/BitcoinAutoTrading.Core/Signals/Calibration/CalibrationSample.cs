namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>
/// One stored signal as calibration sees it: who produced it, its confidence, and whether it was right at 4 h and
/// 24 h (null while not evaluated). <see cref="Paired"/> is true for a primary that has a shadow of the same run and
/// for that shadow, so the two can be compared over the same runs.
/// </summary>
public sealed record CalibrationSample(
    SignalProviderKind Provider,
    string? Model,
    bool IsShadow,
    bool Paired,
    decimal Confidence,
    bool? Correct4h,
    bool? Correct24h);

/// <summary>Confidence in [<see cref="From"/>, <see cref="To"/>) (the last band includes 1): how many, their mean confidence and how often they were right.</summary>
public sealed record CalibrationBand(decimal From, decimal To, int Count, decimal? MeanConfidence, decimal? HitRate);

/// <summary>
/// Calibration at one horizon: the Brier score (mean squared gap between confidence and outcome, 0 perfect, 0.25 what
/// a constant 0.5 earns) and the reliability table. Nulls while nothing is evaluated.
/// </summary>
public sealed record HorizonCalibration(
    int Evaluated, decimal? BrierScore, decimal? HitRate, decimal? MeanConfidence, IReadOnlyList<CalibrationBand> Bands);

/// <summary>One source's calibration: role primary/shadow, provider and model (null for the technical provider).</summary>
public sealed record SourceCalibration(
    string Role, SignalProviderKind Provider, string? Model, int Signals, HorizonCalibration FourHours, HorizonCalibration TwentyFourHours);
