using BitcoinAutoTrading.Core.Signals.Calibration;

namespace BitcoinAutoTrading.Core.Signals;

/// <summary>Stored signals (<c>trading_signals</c>).</summary>
public interface ISignalRepository
{
    /// <summary>Stores the signal and returns its id.</summary>
    Task<long> InsertAsync(NewSignal signal, CancellationToken cancellationToken = default);

    Task<TradingSignal?> GetByIdAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Newest first, at most <paramref name="limit"/>, optionally of one type. Pass the last id of a page as
    /// <paramref name="beforeId"/> to get the next page.
    /// </summary>
    Task<IReadOnlyList<TradingSignal>> ListAsync(
        int limit, SignalType? type = null, long? beforeId = null, CancellationToken cancellationToken = default);

    /// <summary>The newest primary signal (shadows never count as the app's last signal).</summary>
    Task<TradingSignal?> GetLatestAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>The newest primary signal that saw the given minute, so a repeated run for the same data can be recognised.</summary>
    Task<TradingSignal?> GetByMarketDataIdAsync(long marketDataId, CancellationToken cancellationToken = default);

    /// <summary>Returns false when there is no such signal.</summary>
    Task<bool> SetExecutionNoteAsync(long id, string note, CancellationToken cancellationToken = default);

    /// <summary>Signals created at least one <paramref name="horizon"/> before <paramref name="now"/> and not yet evaluated at it, oldest first.</summary>
    Task<IReadOnlyList<TradingSignal>> ListDueForEvaluationAsync(
        EvaluationHorizon horizon, DateTimeOffset now, int limit = 500, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the evaluation at one horizon. The first evaluation wins: returns false (and changes nothing) when the
    /// signal is missing or already evaluated at that horizon, so a repeated job run is harmless.
    /// </summary>
    Task<bool> SetEvaluationAsync(
        long id, EvaluationHorizon horizon, decimal priceAfter, decimal changePct, bool correct, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>Per signal type, counts, accuracy and mean change of the primary signals created since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<SignalPerformance>> GetPerformanceAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Per UTC day, provider and model, newest day first: signals and token sums since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<AiUsageDay>> GetAiUsageAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs that had a shadow, created since <paramref name="since"/>: per role (primary/shadow), provider and model,
    /// the same figures as <see cref="GetPerformanceAsync"/>, so both answers compare over the same runs.
    /// </summary>
    Task<IReadOnlyList<SourcePerformance>> GetShadowComparisonAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Signals created since <paramref name="since"/> with at least one evaluation, primary and shadow.</summary>
    Task<IReadOnlyList<CalibrationSample>> ListCalibrationSamplesAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Of the newest <paramref name="sampleSize"/> primary, non-fallback BUY/SELL signals evaluated at 4 h, how many were right.</summary>
    Task<SignalHitRate> GetRecentHitRateAsync(int sampleSize, CancellationToken cancellationToken = default);
}
