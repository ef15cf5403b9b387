namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>
/// Scores confidence against outcomes (issue #16): position size grows with confidence, so "0.8" must be right about
/// 80 % of the time. Per source and horizon: Brier score = mean of (confidence − outcome)², outcome 1 when the signal
/// was right, and a reliability table over ten 0.1-wide confidence bands.
/// </summary>
public static class SignalCalibration
{
    public const string PrimaryRole = "primary";
    public const string ShadowRole = "shadow";
    public const int BandCount = 10;
    private const int Decimals = 6;

    /// <summary>Groups by role, provider and model (primary first), each scored at 4 h and 24 h.</summary>
    public static IReadOnlyList<SourceCalibration> Compute(IEnumerable<CalibrationSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples
            .GroupBy(s => (s.IsShadow, s.Provider, Model: s.Provider == SignalProviderKind.Technical ? null : s.Model))
            .OrderBy(g => g.Key.IsShadow).ThenBy(g => g.Key.Provider).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new SourceCalibration(
                g.Key.IsShadow ? ShadowRole : PrimaryRole,
                g.Key.Provider,
                g.Key.Model,
                g.Count(),
                ForHorizon(g.Where(s => s.Correct4h is not null).Select(s => (s.Confidence, s.Correct4h!.Value))),
                ForHorizon(g.Where(s => s.Correct24h is not null).Select(s => (s.Confidence, s.Correct24h!.Value)))))
            .ToList();
    }

    public static HorizonCalibration ForHorizon(IEnumerable<(decimal Confidence, bool Correct)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var list = outcomes.ToList();
        var bands = Enumerable.Range(0, BandCount).Select(i =>
        {
            var from = i / (decimal)BandCount;
            var to = (i + 1) / (decimal)BandCount;
            var inBand = list.Where(o => BandOf(o.Confidence) == i).ToList();
            return new CalibrationBand(
                from, to, inBand.Count,
                inBand.Count == 0 ? null : Round(inBand.Average(o => o.Confidence)),
                inBand.Count == 0 ? null : Round(inBand.Count(o => o.Correct) / (decimal)inBand.Count));
        }).ToList();
        if (list.Count == 0)
        {
            return new HorizonCalibration(0, null, null, null, bands);
        }
        var brier = list.Sum(o => Square(o.Confidence - (o.Correct ? 1m : 0m))) / list.Count;
        return new HorizonCalibration(
            list.Count, Round(brier), Round(list.Count(o => o.Correct) / (decimal)list.Count), Round(list.Average(o => o.Confidence)), bands);
    }

    /// <summary>0 for [0, 0.1), …, 9 for [0.9, 1.0] (a confidence of exactly 1 belongs to the top band).</summary>
    public static int BandOf(decimal confidence) => Math.Clamp((int)decimal.Floor(confidence * BandCount), 0, BandCount - 1);

    private static decimal Square(decimal value) => value * value;

    private static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
}
