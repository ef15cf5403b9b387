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
        if (!Applies(settings))
        {
            return Judge(new SignalHitRate(0, 0), settings);
        }
        var hitRate = await signals.GetRecentHitRateAsync(settings.HitRateSampleSize, cancellationToken).ConfigureAwait(false);
        return Judge(hitRate, settings);
    }

    /// <summary>False when the operator turned the gate off (<c>min_hit_rate</c> 0): then there is nothing to read.</summary>
    public static bool Applies(RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.MinHitRate > 0;
    }

    /// <summary>The verdict on a hit rate, wherever it was counted (the stored signals, or a backtest's replayed ones).</summary>
    public static HitRateStatus Judge(SignalHitRate hitRate, RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(hitRate);
        ArgumentNullException.ThrowIfNull(settings);
        var paused = Applies(settings) && hitRate.Sample >= settings.HitRateSampleSize && hitRate.Rate < settings.MinHitRate;
        return new HitRateStatus(paused, hitRate, settings.MinHitRate, settings.HitRateSampleSize);
    }
}
