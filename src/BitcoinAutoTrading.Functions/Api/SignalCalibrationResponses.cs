using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;

namespace BitcoinAutoTrading.Functions.Api;

public sealed record CalibrationBandResponse(decimal From, decimal To, int Count, decimal? MeanConfidence, decimal? HitRate);

public sealed record HorizonCalibrationResponse(
    int Evaluated, decimal? BrierScore, decimal? HitRate, decimal? MeanConfidence, IReadOnlyList<CalibrationBandResponse> Bands)
{
    public static HorizonCalibrationResponse From(HorizonCalibration h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new(h.Evaluated, h.BrierScore, h.HitRate, h.MeanConfidence,
            h.Bands.Select(b => new CalibrationBandResponse(b.From, b.To, b.Count, b.MeanConfidence, b.HitRate)).ToList());
    }
}

/// <summary>One source (role primary/shadow, provider, model — null for technical) at 4 h and 24 h.</summary>
public sealed record SourceCalibrationResponse(
    string Role, string Provider, string? Model, int Signals, HorizonCalibrationResponse FourHours, HorizonCalibrationResponse TwentyFourHours)
{
    public static SourceCalibrationResponse From(SourceCalibration s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Role, s.Provider.ToWire(WireCase.LowerSnake), s.Model, s.Signals,
            HorizonCalibrationResponse.From(s.FourHours), HorizonCalibrationResponse.From(s.TwentyFourHours));
    }
}

/// <summary>
/// Calibration per source over the window, and <see cref="ShadowComparison"/>: primary and shadow over only the runs
/// in which both answered, so the two are compared on the same markets.
/// </summary>
public sealed record SignalCalibrationResponse(
    int Days, DateTimeOffset Since, IReadOnlyList<SourceCalibrationResponse> Sources, IReadOnlyList<SourceCalibrationResponse> ShadowComparison);

/// <summary>What was asked and answered (admin only): replayable with the parser and the decision inputs in reasoning.</summary>
public sealed record SignalProvenanceResponse(
    long Id,
    string Provider,
    string? ModelName,
    bool IsShadow,
    long? ShadowOfId,
    string? AiSkipReason,
    string? PromptSha256,
    string? Prompt,
    int? ResponseSchemaVersion,
    string? ModelVersion,
    string? ResponseId,
    string? RawResponse)
{
    public static SignalProvenanceResponse From(TradingSignal s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var p = s.Provenance;
        return new(s.Id, s.Provider.ToWire(WireCase.LowerSnake), s.ModelName, s.IsShadow, s.ShadowOfId, s.AiSkipReason,
            p?.PromptSha256, p?.PromptText, p?.ResponseSchemaVersion, p?.ModelVersion, p?.ResponseId, p?.RawResponse);
    }
}

/// <summary>Per role (primary/shadow), provider and model: the per-type performance over the runs both answered.</summary>
public sealed record SourcePerformanceResponse(string Role, string Provider, string? Model, IReadOnlyList<SignalTypePerformanceResponse> Types)
{
    public static SourcePerformanceResponse From(SourcePerformance s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Role, s.Provider.ToWire(WireCase.LowerSnake), s.Model, s.Types.Select(SignalTypePerformanceResponse.From).ToList());
    }
}
