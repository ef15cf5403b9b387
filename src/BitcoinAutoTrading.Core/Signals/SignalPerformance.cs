namespace BitcoinAutoTrading.Core.Signals;

/// <summary>How the signals of one type fared (SPEC §4.6).</summary>
public sealed record SignalPerformance(
    SignalType Type, int Total, HorizonPerformance FourHours, HorizonPerformance TwentyFourHours);

/// <summary>
/// Outcome at one horizon: how many were evaluated and right, accuracy in percent and the mean price change in
/// percent (null while nothing is evaluated).
/// </summary>
public sealed record HorizonPerformance(int Evaluated, int Correct, decimal? AccuracyPct, decimal? AvgChangePct);

/// <summary>One source's performance (role primary/shadow, provider, model null for technical) per signal type.</summary>
public sealed record SourcePerformance(string Role, SignalProviderKind Provider, string? Model, IReadOnlyList<SignalPerformance> Types);
