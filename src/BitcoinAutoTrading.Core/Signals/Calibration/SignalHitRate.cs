namespace BitcoinAutoTrading.Core.Signals.Calibration;

/// <summary>How many of the newest evaluated primary BUY/SELL signals (at most the window) were right at 4 h.</summary>
public sealed record SignalHitRate(int Sample, int Correct)
{
    public decimal? Rate => Sample == 0 ? null : Math.Round(Correct / (decimal)Sample, 4, MidpointRounding.AwayFromZero);
}

/// <summary>The hit-rate gate's verdict: paused when a full sample's hit rate is below <c>min_hit_rate</c>.</summary>
public sealed record HitRateStatus(bool IsPaused, SignalHitRate HitRate, decimal MinHitRate, int SampleSize);
