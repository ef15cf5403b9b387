namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>The gate's last announced state, so the pause and the recovery are each notified once.</summary>
public interface IHitRateGateStateRepository
{
    Task<bool> GetPausedAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns true when the stored state changed (false when it already was <paramref name="paused"/>).</summary>
    Task<bool> SetPausedAsync(bool paused, decimal? hitRate, int sample, DateTimeOffset at, CancellationToken cancellationToken = default);
}
