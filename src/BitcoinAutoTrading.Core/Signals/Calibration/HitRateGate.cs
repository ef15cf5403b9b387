using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>
/// Entries pause while the 4 h hit rate of the last <c>hit_rate_sample_size</c> evaluated BUY/SELL signals that could
/// trade (primary, not fallback) is below <c>min_hit_rate</c>; with fewer evaluated signals than the sample it does not
/// act. Signals keep being generated and evaluated while paused, so the rate can recover; <c>min_hit_rate</c> 0 is the
/// operator's override. Read live, so every instance agrees from the next entry on.
/// </summary>
public sealed class HitRateGate(ISignalRepository signals)
{
    public async Task<HitRateStatus> CheckAsync(RiskSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MinHitRate <= 0)
        {
            return new HitRateStatus(false, new SignalHitRate(0, 0), settings.MinHitRate, settings.HitRateSampleSize);
        }
        var hitRate = await signals.GetRecentHitRateAsync(settings.HitRateSampleSize, cancellationToken).ConfigureAwait(false);
        var paused = hitRate.Sample >= settings.HitRateSampleSize && hitRate.Rate < settings.MinHitRate;
        return new HitRateStatus(paused, hitRate, settings.MinHitRate, settings.HitRateSampleSize);
    }
}
