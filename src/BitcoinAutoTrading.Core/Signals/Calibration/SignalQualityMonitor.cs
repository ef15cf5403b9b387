using System.Globalization;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>
/// The second half of EvaluateSignals (issue #16): scores the calibration of the last 30 days per source (logged) and
/// moves the hit-rate gate, recording a LOW_CONFIDENCE risk event and notifying once when entries pause and once when
/// they resume.
/// </summary>
public sealed partial class SignalQualityMonitor(
    ISignalRepository signals,
    HitRateGate gate,
    IHitRateGateStateRepository state,
    IRiskSettingsProvider settingsProvider,
    RiskEventRecorder recorder,
    INotifier notifier,
    TimeProvider clock,
    ILogger<SignalQualityMonitor> logger)
{
    public const string PausedAction = "entries paused: hit rate";
    public const string ResumedAction = "entries resumed: hit rate";
    public static readonly TimeSpan CalibrationWindow = TimeSpan.FromDays(30);

    public async Task<HitRateStatus> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var samples = await signals.ListCalibrationSamplesAsync(now - CalibrationWindow, cancellationToken).ConfigureAwait(false);
        foreach (var source in SignalCalibration.Compute(samples))
        {
            LogCalibration(logger, source.Role, source.Provider.ToString(), source.Model, source.FourHours.Evaluated,
                source.FourHours.BrierScore, source.TwentyFourHours.Evaluated, source.TwentyFourHours.BrierScore);
        }

        var settings = await settingsProvider.GetAsync(cancellationToken).ConfigureAwait(false);
        var status = await gate.CheckAsync(settings, cancellationToken).ConfigureAwait(false);
        if (!await state.SetPausedAsync(status.IsPaused, status.HitRate.Rate, status.HitRate.Sample, now, cancellationToken).ConfigureAwait(false))
        {
            return status;
        }
        var rate = status.HitRate.Rate is { } r ? r.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
        await recorder.RecordAsync(
            RiskEventType.LowConfidence, status.HitRate.Rate, status.MinHitRate, status.IsPaused ? PausedAction : ResumedAction,
            details: new { reason = "hit_rate", sample = status.HitRate.Sample, correct = status.HitRate.Correct, window = status.SampleSize },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var message = status.IsPaused
            ? $"Entries paused: the 4 h hit rate of the last {status.HitRate.Sample} BUY/SELL signals is {rate}, below min_hit_rate {status.MinHitRate.ToString(CultureInfo.InvariantCulture)}. They resume when it recovers, or set min_hit_rate to 0 to override."
            : $"Entries resumed: the hit rate is {rate} (min_hit_rate {status.MinHitRate.ToString(CultureInfo.InvariantCulture)}).";
        await notifier.NotifyAsync(message, status.IsPaused ? NotificationSeverity.Critical : NotificationSeverity.Info, cancellationToken)
            .ConfigureAwait(false);
        return status;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Calibration {Role} {Provider} {Model}: 4 h n={Evaluated4h} Brier {Brier4h}; 24 h n={Evaluated24h} Brier {Brier24h}")]
    private static partial void LogCalibration(
        ILogger logger, string role, string provider, string? model, int evaluated4h, decimal? brier4h, int evaluated24h, decimal? brier24h);
}
