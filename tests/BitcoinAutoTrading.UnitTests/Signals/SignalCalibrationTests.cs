using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class SignalCalibrationTests
{
    /// <summary>Five technical signals evaluated at 4 h, two of them also at 24 h, and one Gemini signal.</summary>
    public static IReadOnlyList<CalibrationSample> Seeded { get; } =
    [
        new(SignalProviderKind.Technical, null, false, false, 0.55m, true, false),
        new(SignalProviderKind.Technical, null, false, false, 0.58m, false, true),
        new(SignalProviderKind.Technical, null, false, false, 0.72m, true, null),
        new(SignalProviderKind.Technical, null, false, false, 0.95m, true, null),
        new(SignalProviderKind.Technical, null, false, false, 1.00m, false, null),
        new(SignalProviderKind.Gemini, "gemini-2.5-flash", false, false, 0.80m, true, null),
    ];

    [Fact]
    public void Compute_SeededSet_EqualsHandComputation()
    {
        var sources = SignalCalibration.Compute(Seeded);

        Assert.Equal(2, sources.Count);
        var gemini = sources[0];
        Assert.Equal((SignalProviderKind.Gemini, "gemini-2.5-flash", "primary"), (gemini.Provider, gemini.Model, gemini.Role));
        // (0.8 − 1)² = 0.04
        Assert.Equal(0.04m, gemini.FourHours.BrierScore);

        var technical = sources[1];
        Assert.Equal(5, technical.Signals);
        var h4 = technical.FourHours;
        // ((0.55−1)² + 0.58² + (0.72−1)² + (0.95−1)² + 1²) / 5 = (0.2025 + 0.3364 + 0.0784 + 0.0025 + 1) / 5 = 0.32396
        Assert.Equal((5, 0.32396m, 0.6m, 0.76m), (h4.Evaluated, h4.BrierScore, h4.HitRate, h4.MeanConfidence));
        Assert.Equal(10, h4.Bands.Count);
        Assert.Equal(new CalibrationBand(0.5m, 0.6m, 2, 0.565m, 0.5m), h4.Bands[5]);
        Assert.Equal(new CalibrationBand(0.7m, 0.8m, 1, 0.72m, 1m), h4.Bands[7]);
        // A confidence of exactly 1 belongs to the top band.
        Assert.Equal(new CalibrationBand(0.9m, 1.0m, 2, 0.975m, 0.5m), h4.Bands[9]);
        Assert.Equal(0, h4.Bands[6].Count);
        Assert.Null(h4.Bands[6].HitRate);

        var h24 = technical.TwentyFourHours;
        // (0.55² + (0.58 − 1)²) / 2 = (0.3025 + 0.1764) / 2 = 0.23945
        Assert.Equal((2, 0.23945m, 0.5m, 0.565m), (h24.Evaluated, h24.BrierScore, h24.HitRate, h24.MeanConfidence));
    }

    [Fact]
    public void Compute_ShadowRows_ReportedAsTheirOwnSourceAfterThePrimary()
    {
        var sources = SignalCalibration.Compute(
        [
            new(SignalProviderKind.Gemini, "gemini-2.5-pro", true, true, 0.7m, false, null),
            new(SignalProviderKind.Gemini, "gemini-2.5-flash", false, true, 0.6m, true, null),
        ]);

        Assert.Equal(["primary", "shadow"], sources.Select(s => s.Role));
        Assert.Equal("gemini-2.5-pro", sources[1].Model);
        Assert.Equal(0.49m, sources[1].FourHours.BrierScore);
    }

    [Fact]
    public void ForHorizon_NothingEvaluated_NullScores()
    {
        var result = SignalCalibration.ForHorizon([]);

        Assert.Equal(0, result.Evaluated);
        Assert.Null(result.BrierScore);
        Assert.All(result.Bands, b => Assert.Equal(0, b.Count));
    }
}
