namespace BitcoinAutoTrading.Core.Signals.Analysis;

/// <summary>
/// The weighted confluence of the timeframes (SPEC §4.2): <see cref="ConfluenceScore"/> in [−1, 1],
/// the <see cref="Bias"/> it implies, and how much the timeframes agree with that bias.
/// </summary>
public sealed record MultiTimeframeAnalysis(
    IReadOnlyList<TimeframeAnalysis> Timeframes,
    double ConfluenceScore,
    Direction Bias,
    double TimeframeAgreement);
